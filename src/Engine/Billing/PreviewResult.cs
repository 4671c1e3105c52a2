using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// Draft invoices (nothing stored) and the rating errors that affect them. An invoice whose pricing could not be
/// evaluated at all is missing from <see cref="Invoices"/> and explained in <see cref="Errors"/>.
/// <see cref="Issued"/> is set when the period already has an issued invoice: the draft is then a re-rating, not the bill.
/// </summary>
public sealed record PreviewResult(IReadOnlyList<Invoice> Invoices, IReadOnlyList<RatingError> Errors)
{
    public IssuedInvoice? Issued { get; init; }
}
