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
    /// <summary>A credit note's one creating call: the Stripe credit note, or the Razorpay refund.</summary>
    public const string Credit = "credit";
    public const string Complete = "complete";
}
