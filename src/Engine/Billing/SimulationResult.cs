using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// A dry run over a rule set and a set of events: the draft invoice of every customer period in range (ordered by
/// customer, period, contract), every guard evaluated on them, the events refused at ingestion, the rating errors and
/// the accepted events that no invoice bills (ordered by customer, time, event).
/// </summary>
public sealed record SimulationResult(
    IReadOnlyList<Invoice> Invoices,
    IReadOnlyList<SimulatedGuard> Guards,
    IReadOnlyList<EventResult> Rejected,
    IReadOnlyList<RatingError> Errors,
    IReadOnlyList<UnbilledEvent> Unbilled)
{
    /// <summary>Whether anything was rejected, left unbilled or could not be rated (what <c>simulate --strict</c> fails on).</summary>
    public bool HasProblems => Rejected.Count > 0 || Errors.Count > 0 || Unbilled.Count > 0;
}

/// <summary>A guard evaluated on one simulated invoice (see <see cref="Invoice.Guards"/>).</summary>
public sealed record SimulatedGuard(string Customer, string Contract, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, GuardFinding Finding);
