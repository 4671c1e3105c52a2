namespace RulesBilling.Engine.Accounting;

public enum JournalEntryKind { Invoice, CreditNote, Adjustment, Recognition, Void, Payment, Refund, CreditPurchase, CreditExpiry }

/// <summary>One side of a journal entry: a positive debit or a positive credit (never both) to one account.</summary>
public sealed record JournalLine(LedgerAccount Account, decimal Debit, decimal Credit, string Description, string? LineId);

/// <summary>
/// A balanced journal entry (Σ debits = Σ credits) of one customer in one currency, dated by a UTC day, with the
/// document it comes from. Ids are derived from content, so re-exporting gives the same ids (what an accounting
/// push uses as its idempotency key).
/// </summary>
public sealed record JournalEntry(
    string Id,
    DateOnly Date,
    JournalEntryKind Kind,
    string Tenant,
    string Customer,
    string Currency,
    string? DocumentId,
    string? DocumentNumber,
    string Memo,
    IReadOnlyList<JournalLine> Lines)
{
    public decimal Debits => Lines.Sum(l => l.Debit);

    public decimal Credits => Lines.Sum(l => l.Credit);
}
