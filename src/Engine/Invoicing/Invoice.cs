using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Invoicing;

public enum InvoiceStatus { Draft, Held, Finalized, Void }

/// <summary>
/// <see cref="Threshold"/>: issued inside an open period when its usage amount reached a threshold of the contract
/// (docs/dsl-spec.md §10.9); the period's invoice nets it with a <see cref="LineKind.ThresholdCredit"/> line.
/// </summary>
public enum InvoiceKind { Invoice, CreditNote, Adjustment, Threshold }

/// <summary>
/// An invoice for one customer, contract and period. A finalized invoice is immutable; corrections are new
/// documents (<see cref="InvoiceKind.CreditNote"/> or <see cref="InvoiceKind.Adjustment"/>) pointing at it.
/// Total = Subtotal − CreditsApplied, and Subtotal = Σ line amounts, exactly.
/// </summary>
public sealed record Invoice(
    string Id,
    string? Number,
    InvoiceKind Kind,
    string? Corrects,
    string Tenant,
    string Customer,
    string Contract,
    IReadOnlyList<int> Versions,
    string Currency,
    DateTimeOffset PeriodFrom,
    DateTimeOffset PeriodTo,
    InvoiceStatus Status,
    IReadOnlyList<InvoiceLine> Lines,
    decimal Subtotal,
    decimal CreditsApplied,
    decimal Total,
    IReadOnlyList<GuardFinding> Guards,
    IReadOnlyList<CreditApplication> Credits,
    string RuleSetHash)
{
    /// <summary>When the document was voided (null unless <see cref="Status"/> is Void, or for documents voided before it was recorded).</summary>
    public DateTimeOffset? VoidedAt { get; init; }

    /// <summary>Why it was voided, as the caller gave it (optional, as in Stripe and Lago).</summary>
    public string? VoidReason { get; init; }

    /// <summary>
    /// When a correction document (credit note, adjustment) was issued: its accounting date. Null for period invoices,
    /// which are dated by their period end, and for corrections issued before it was recorded.
    /// </summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>
    /// Events excluded for outcomes that have no charge line on this invoice (see <see cref="InvoiceExclusion"/>);
    /// exclusions of charged outcomes are on their line. Usually empty, and then absent from every serialized form.
    /// </summary>
    public IReadOnlyList<InvoiceExclusion> Excluded { get; init; } = [];

    /// <summary>The thresholds a <see cref="InvoiceKind.Threshold"/> invoice bills; null on every other document.</summary>
    public ThresholdCrossing? Threshold { get; init; }

    /// <summary>
    /// The taxes of the invoice (docs/dsl-spec.md §9.15), one per tax: its rate, the taxable amount and the sum of its
    /// per-line amounts. Empty (and absent from every serialized form) when no tax applies.
    /// </summary>
    public IReadOnlyList<InvoiceTax> Taxes { get; init; } = [];
}

/// <summary>
/// One tax of an invoice: <see cref="Amount"/> = Σ of its per-line amounts (<see cref="InvoiceLine.Taxes"/>), exactly.
/// <see cref="Taxable"/> is the net amount it was computed on: Σ of the taxed lines (exclusive), or that Σ less the tax
/// extracted from it (inclusive).
/// </summary>
public sealed record InvoiceTax(string Tax, string Label, decimal Rate, bool Inclusive, string? Jurisdiction, decimal Taxable, decimal Amount);

/// <summary>The tax one line carries: rounded half-up at the line's precision; for an inclusive tax, the part of the line's amount that is tax.</summary>
public sealed record LineTax(string Tax, decimal Amount);

/// <summary>
/// One line and its explanation: the rule and contract version that produced it, the rule file's hash,
/// the quantity and tier breakdown, the events counted and the events excluded with the reason.
/// </summary>
public sealed record InvoiceLine(
    string Id,
    LineKind Kind,
    string Description,
    string Rule,
    string Contract,
    int Version,
    string RuleFileHash,
    DateTimeOffset SegmentFrom,
    DateTimeOffset SegmentTo,
    decimal Quantity,
    decimal? UnitPrice,
    decimal Amount,
    IReadOnlyList<TierPart> Tiers,
    IReadOnlyList<string> Events,
    IReadOnlyList<LineExclusion> Excluded,
    IReadOnlyList<Attribution> Attribution,
    string? Note)
{
    /// <summary>
    /// What a customer reads under <see cref="Description"/> (the line's label): the rule's <c>description</c>, if it
    /// declares one.
    /// </summary>
    public string? Explanation { get; init; }

    /// <summary>
    /// The arithmetic of <see cref="Amount"/>, step by step (free units, unit price, each tier, packages, percent clamps,
    /// the charge cap). Step amounts are exact; their sum rounded half-up at the currency's minor units is
    /// <see cref="Amount"/>. Lines stored before steps existed have none.
    /// </summary>
    public IReadOnlyList<LineStep> Breakdown { get; init; } = [];

    /// <summary>Outcomes of this line's rule still inside their validation window: not billed yet, billable at the given instant.</summary>
    public IReadOnlyList<PendingOutcome> Pending { get; init; } = [];

    /// <summary>The tax of this line, per tax of the invoice (docs/dsl-spec.md §9.15); empty when none applies.</summary>
    public IReadOnlyList<LineTax> Taxes { get; init; } = [];
}

/// <summary>One step of a line's arithmetic: <see cref="Quantity"/> × <see cref="UnitPrice"/> = <see cref="Amount"/> (exact) when both are given.</summary>
public sealed record LineStep(string Kind, string Text, decimal? Quantity, decimal? UnitPrice, decimal Amount);

/// <summary>An outcome counted but not billable yet: its event and when its validation window closes.</summary>
public sealed record PendingOutcome(string Id, DateTimeOffset BillableAt);

/// <summary><see cref="ThresholdCredit"/>: on a period's invoice, minus what its threshold invoices already billed.</summary>
public enum LineKind { Base, Charge, Minimum, Cap, GuardCap, Correction, ThresholdCredit, Coupon, Tax }

public sealed record LineExclusion(string Id, string Reason, string? Detail);

/// <summary>Revenue of a line credited to a dimension value (splits and dimensions).</summary>
public sealed record Attribution(string Dimension, string? Value, decimal Amount);

public sealed record GuardFinding(string Guard, string Condition, string Action, bool Triggered, string Detail)
{
    /// <summary>What a reader sees for the guard: its <c>label</c>, else its name made readable; null on findings stored before labels.</summary>
    public string? Label { get; init; }

    public string? Description { get; init; }
}

/// <summary>Credits consumed from one grant for this invoice.</summary>
public sealed record CreditApplication(string GrantId, decimal Amount);
