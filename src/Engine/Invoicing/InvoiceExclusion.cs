namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// An event excluded for an outcome the invoice has no charge line for (e.g. <c>no-matching-charge</c>, or an outcome
/// the pricing does not charge at all): listed once on the invoice itself, so every excluded event of the period is
/// explained exactly once — on its outcome's first charge line when there is one, here otherwise.
/// </summary>
public sealed record InvoiceExclusion(string Outcome, string Id, string Reason, string? Detail);
