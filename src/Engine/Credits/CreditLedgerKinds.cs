namespace RulesBilling.Engine.Credits;

/// <summary>The <see cref="CreditLedgerEntry.Kind"/> vocabulary.</summary>
public static class CreditLedgerKinds
{
    /// <summary>The grant itself (+Amount). Balances are computed from the grant record, so this entry is informational.</summary>
    public const string Grant = "grant";
    /// <summary>Credit consumed by an invoice (negative amount).</summary>
    public const string Consumption = "consumption";
    public const string Expiry = "expiry";
    /// <summary>A consumption given back, e.g. when its invoice is voided (positive amount).</summary>
    public const string Reversal = "reversal";
}
