using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// One contract period rated for one customer: the draft invoice (null when rating itself failed) and the rating
/// errors that touch the period. A period with errors must not be finalized.
/// </summary>
internal sealed record RatedPeriod(ContractPeriod Period, Invoice? Draft, IReadOnlyList<RatingError> Errors);
