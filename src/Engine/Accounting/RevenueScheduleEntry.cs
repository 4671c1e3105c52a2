using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Accounting;

/// <summary>Why an amount is recognised on its date.</summary>
public enum RecognitionBasis
{
    /// <summary>A share of a base fee for one day of its service period (ratable, straight-line).</summary>
    Ratable,
    /// <summary>Outcome revenue, on the day the outcome became billable (its validation window closed).</summary>
    Validated,
    /// <summary>Known only when the period is over: minimum true-ups, caps, and lines whose outcomes cannot be placed.</summary>
    PeriodEnd,
    /// <summary>A credit note or adjustment line: what it changes of the original line, earned part on its issue date.</summary>
    Correction,
    /// <summary>The reversal, on the void date, of what a voided document had recognised.</summary>
    Void,
}

/// <summary>
/// One amount of one invoice line recognised on one day, in the document's currency (whole minor units), with the
/// line, rule, contract version and events it comes from. The entries of a line sum to its amount exactly (to zero once
/// the document is voided).
/// </summary>
public sealed record RevenueScheduleEntry(
    string DocumentId,
    string? DocumentNumber,
    InvoiceKind DocumentKind,
    string LineId,
    LineKind LineKind,
    string Description,
    string Rule,
    int Version,
    DateOnly Date,
    decimal Amount,
    string Currency,
    RecognitionBasis Basis,
    IReadOnlyList<string> Events);
