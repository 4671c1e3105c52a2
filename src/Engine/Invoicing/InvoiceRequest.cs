namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// Everything needed to draft one invoice: the billing period [PeriodFrom, PeriodTo) cut into segments, one per
/// contract version in force. Segments must lie inside the period and must not overlap.
/// </summary>
public sealed record InvoiceRequest(
    string Tenant,
    string Customer,
    string Contract,
    string Currency,
    DateTimeOffset PeriodFrom,
    DateTimeOffset PeriodTo,
    IReadOnlyList<InvoiceSegment> Segments,
    /// <summary>Hash of the compiled rule set the invoice was rated with.</summary>
    string RuleSetHash);
