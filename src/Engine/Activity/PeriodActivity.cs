using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Activity;

/// <summary>
/// One customer's activity in one contract period as of <see cref="AsOf"/> (see <see cref="CustomerActivity.InPeriod"/>
/// for the placement): per version segment the outcome instances with their state, the events that count towards
/// no outcome with their reason, and the costs; plus the rating errors that touch the period.
/// </summary>
public sealed record PeriodActivity(
    string Customer,
    ContractPeriod Period,
    DateTimeOffset AsOf,
    IReadOnlyList<SegmentActivity> Segments,
    IReadOnlyList<RatingError> Errors)
{
    // Derived on each read (not stored) so that a copy made with `with { Segments = … }` stays consistent.

    /// <summary>The outcome instances of every segment, in segment order.</summary>
    public IReadOnlyList<OutcomeInstance> Outcomes => Segments.SelectMany(s => s.Outcomes).ToList();

    /// <summary>The excluded events of every segment, in segment order.</summary>
    public IReadOnlyList<ExcludedEvent> Excluded => Segments.SelectMany(s => s.Excluded).ToList();

    /// <summary>The outcomes the pricing of the period's contract version(s) charges for: what its invoice can bill.</summary>
    public IReadOnlySet<string> Billed => Segments.SelectMany(s => s.Plan.Charges).Select(c => c.Outcome).ToHashSet(StringComparer.Ordinal);
}
