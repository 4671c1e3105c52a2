namespace RulesBilling.Host.Api.OpenApi;

// The shapes of the engine's invoice JSON (RulesBilling.Engine.Invoicing.InvoiceJson), which the API writes by hand
// so an invoice reads byte for byte as `simulate --format json` prints it. These records only describe it to the
// OpenAPI generator; InvoiceContractTests checks every property of real answers against them.

/// <summary>An invoice, credit note or adjustment, with every line explained.</summary>
internal sealed record InvoiceDocument(
    string Customer,
    string Contract,
    int? Version,
    IReadOnlyList<int> Versions,
    string Currency,
    PeriodDocument Period,
    string Status,
    IReadOnlyList<InvoiceLineDocument> Lines,
    IReadOnlyList<GuardResultDocument> Guards,
    decimal Subtotal,
    decimal Credits,
    decimal Total,
    IReadOnlyList<CreditApplicationDocument> CreditApplications,
    string? Number,
    string Kind,
    string? Corrects,
    string Id,
    string Tenant,
    string RuleSetHash)
{
    /// <summary>Only on void documents.</summary>
    public DateTimeOffset? VoidedAt { get; init; }

    /// <summary>Only on void documents.</summary>
    public string? VoidReason { get; init; }

    /// <summary>Only on invoices with exclusions outside every line.</summary>
    public IReadOnlyList<InvoiceExclusionDocument>? Excluded { get; init; }

    /// <summary>Only on taxed invoices (docs/dsl-spec.md §9.15): each tax's rate, mode, taxable net amount and Σ of its per-line amounts.</summary>
    public IReadOnlyList<InvoiceTaxDocument>? Taxes { get; init; }

    /// <summary>Only on threshold invoices (kind <c>threshold</c>, docs/dsl-spec.md §10.9): what they bill.</summary>
    public ThresholdDocument? Threshold { get; init; }
}

/// <summary>
/// The thresholds a threshold invoice bills: their index in the contract's schedule (of the last one), the amounts,
/// the instant the usage amount reached them and that amount.
/// </summary>
internal sealed record ThresholdDocument(int Index, IReadOnlyList<decimal> Amounts, DateTimeOffset CrossedAt, decimal UsageAmount);

/// <summary>One tax of an invoice; <c>rate</c> as written in the rules ("20%").</summary>
internal sealed record InvoiceTaxDocument(string Tax, string Label, string Rate, string Mode, string? Jurisdiction, decimal Taxable, decimal Amount);

/// <summary>The tax one line carries, rounded half-up per line.</summary>
internal sealed record LineTaxDocument(string Tax, decimal Amount);

internal sealed record PeriodDocument(DateTimeOffset From, DateTimeOffset To);

internal sealed record InvoiceLineDocument(
    string Id,
    string Kind,
    string Description,
    string Rule,
    string Contract,
    int Version,
    string RuleFileHash,
    decimal Quantity,
    decimal? UnitPrice,
    decimal Amount,
    IReadOnlyList<TierDocument> Tiers,
    IReadOnlyList<string> Events,
    IReadOnlyList<LineExclusionDocument> Excluded,
    IReadOnlyList<AttributionDocument> Attribution,
    string? Note)
{
    /// <summary>Only on lines of taxed invoices.</summary>
    public IReadOnlyList<LineTaxDocument>? Taxes { get; init; }

    /// <summary>
    /// Only on preview lines with a list longer than its limit: the lists then hold their first entries, and this
    /// gives each list's total and the path of its next page (GET …/invoices/preview/lines/{line}/events).
    /// </summary>
    public EventListsDocument? EventLists { get; init; }
}

/// <summary>A summarised preview line's lists: the limit, per list its total, how many are shown and the next page; exclusions by reason.</summary>
internal sealed record EventListsDocument(
    int Limit, EventListDocument Events, EventListDocument Pending, EventListDocument Excluded, IReadOnlyDictionary<string, int> ExcludedByReason);

/// <summary>One list of a summarised preview line: <c>next</c> is the path of the page after the shown entries (null when all are shown).</summary>
internal sealed record EventListDocument(int Total, int Shown, string? Next);

internal sealed record TierDocument(decimal From, decimal? UpTo, decimal Quantity, decimal UnitPrice, decimal Amount);

internal sealed record LineExclusionDocument(string Id, string Reason, string? Detail);

internal sealed record InvoiceExclusionDocument(string Outcome, string Id, string Reason, string? Detail);

internal sealed record AttributionDocument(string Dimension, string? Value, decimal Amount);

internal sealed record GuardResultDocument(string Guard, string Condition, string Action, bool Triggered, string Detail);

internal sealed record CreditApplicationDocument(string Grant, decimal Amount);

internal sealed record RatingErrorDocument(string Customer, string Event, string Rule, string Code, string Message);

/// <summary>The draft of a period: nothing is stored.</summary>
internal sealed record PreviewDocument(IReadOnlyList<InvoiceDocument> Invoices, IReadOnlyList<RatingErrorDocument> Errors, IssuedInvoiceDocument? Issued);

/// <summary>The invoice already issued for the previewed period, and the corrections a corrections run would issue now.</summary>
internal sealed record IssuedInvoiceDocument(
    string Id,
    string? Number,
    string Status,
    string Currency,
    decimal Total,
    IReadOnlyList<string> Corrections,
    bool CorrectionPending,
    IReadOnlyList<PendingCorrectionDocument> PendingCorrections,
    string Message);

internal sealed record PendingCorrectionDocument(string Kind, decimal Total);
