using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Accounting;

/// <summary>
/// What a tenant's journal is derived from: its documents (period invoices, credit notes, adjustments; only issued
/// ones post), when their outcomes became billable, its credit grants and ledger, and the money that moved at the
/// providers per invoice.
/// </summary>
public sealed record JournalInput(
    string Tenant,
    IReadOnlyList<Invoice> Documents,
    OutcomeTimeline Timeline,
    IReadOnlyList<CreditGrant> Grants,
    IReadOnlyList<CreditLedgerEntry> Ledger,
    IReadOnlyList<InvoicePaymentState> Payments);
