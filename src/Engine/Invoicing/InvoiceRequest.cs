using RulesBilling.Dsl.Model;

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
    string RuleSetHash)
{
    /// <summary>The coupons in force for this period and customer, in the order they apply (docs/dsl-spec.md §9.14).</summary>
    public IReadOnlyList<ActiveCoupon> Coupons { get; init; } = [];

    /// <summary>The taxes that apply to this customer (docs/dsl-spec.md §9.15); all inclusive or all exclusive.</summary>
    public IReadOnlyList<TaxRule> Taxes { get; init; } = [];
}

/// <summary>
/// A coupon discounting this invoice: its <see cref="Period"/>-th billing period (1-based) of <see cref="Of"/> (null: forever).
/// </summary>
public sealed record ActiveCoupon(AttachedCoupon Attached, int Period, int? Of)
{
    /// <summary>
    /// A fixed <c>once</c> coupon carries what an invoice leaves unused to the next ones (docs/dsl-spec.md §9.14.1): the
    /// part of its amount the customer's other issued invoices have not used. Null for every other coupon.
    /// </summary>
    public decimal? Left { get; init; }

    /// <summary>
    /// The starts of the segments whose lines it discounts, when only some segments' versions attach it
    /// (docs/dsl-spec.md §9.14.2); null: every segment.
    /// </summary>
    public IReadOnlyList<DateTimeOffset>? Segments { get; init; }
}
