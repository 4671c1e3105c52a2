namespace RulesBilling.Engine.Accounting;

public enum AccountType { Asset, Liability, Revenue }

/// <summary>An account of the chart the journal posts to; <see cref="Code"/> is what an export maps to the ledger's own accounts.</summary>
public sealed record LedgerAccount(string Code, string Name, AccountType Type);

/// <summary>
/// The chart of accounts of the journal. Unbilled receivables is the ASC 606 / IFRS 15 contract asset: revenue earned
/// (a day of service, a validated outcome) before the invoice that bills it is issued at the period end. Tax payable
/// takes the tax of each document (docs/dsl-spec.md §9.15): exclusive tax lines and the inclusive tax inside lines.
/// </summary>
public static class LedgerAccounts
{
    public static readonly LedgerAccount Cash = new("1000", "Cash", AccountType.Asset);
    public static readonly LedgerAccount Receivables = new("1100", "Accounts receivable", AccountType.Asset);
    public static readonly LedgerAccount UnbilledReceivables = new("1150", "Unbilled receivables", AccountType.Asset);
    public static readonly LedgerAccount DeferredRevenue = new("2100", "Deferred revenue", AccountType.Liability);
    public static readonly LedgerAccount CreditsLiability = new("2200", "Prepaid credits", AccountType.Liability);
    public static readonly LedgerAccount TaxPayable = new("2300", "Tax payable", AccountType.Liability);
    public static readonly LedgerAccount Revenue = new("4000", "Revenue", AccountType.Revenue);

    public static IReadOnlyList<LedgerAccount> All { get; } =
        [Cash, Receivables, UnbilledReceivables, DeferredRevenue, CreditsLiability, TaxPayable, Revenue];
}
