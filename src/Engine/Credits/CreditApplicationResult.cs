using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Credits;

/// <summary>
/// The credits one invoice consumes: one application and one ledger entry per grant used, in consumption order.
/// Total = subtotal − CreditsApplied, never negative.
/// </summary>
public sealed record CreditApplicationResult(
    IReadOnlyList<CreditApplication> Applications,
    IReadOnlyList<CreditLedgerEntry> LedgerEntries,
    decimal CreditsApplied,
    decimal Total);

/// <summary>An invoice with its credits applied, and the ledger entries to persist with it in one transaction.</summary>
public sealed record CreditedInvoice(Invoice Invoice, IReadOnlyList<CreditLedgerEntry> LedgerEntries);
