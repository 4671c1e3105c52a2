namespace RulesBilling.Engine.Payments;

/// <summary>Checkpoint names of the provider sequences (stored in <see cref="SyncRecord.Step"/>).</summary>
public static class SyncSteps
{
    public const string First = Customer;
    public const string Customer = "customer";
    public const string Draft = "draft";
    public const string Lines = "lines";
    public const string Verify = "verify";
    public const string Finalize = "finalize";
    public const string Send = "send";
    public const string Void = "void";
    public const string Complete = "complete";
}
