using System.Collections.Concurrent;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Costs;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Activity;

/// <summary>
/// One customer's events typed against a rule set and the outcome instances detected from them — the single place
/// where events become outcomes. Detection runs once with an open-ended cutoff (a reversal inside the validation
/// window reverses whenever it is asked), so every state question is a question "as of" an instant
/// (<see cref="StateAt"/>): a held outcome whose window has not closed by then is pending. Placement in contract
/// periods and version segments is <see cref="InPeriod"/>; invoices, usage, entitlements, balances and
/// notifications all read this type.
/// </summary>
public sealed class CustomerActivity
{
    private readonly IReadOnlyDictionary<string, (string Customer, DateTimeOffset Time)> _times;
    private readonly Dictionary<string, TimeSpan> _holds;
    private readonly bool _allEvents;
    // Built on first use and kept with the activity (EntitlementView caches it per customer), so a check does not scan.
    private readonly ConcurrentDictionary<string, Lazy<WindowIndex>> _outcomeWindows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<WindowIndex>> _eventWindows = new(StringComparer.Ordinal);

    private CustomerActivity(
        CompiledRuleSet rules, string customer, BoundEvents events, OutcomeDetection detection,
        IReadOnlyDictionary<string, (string Customer, DateTimeOffset Time)>? times = null)
    {
        Rules = rules;
        Customer = customer;
        Events = events;
        Detection = detection;
        _allEvents = times is null;
        if (times is null)
        {
            var all = new Dictionary<string, (string, DateTimeOffset)>(StringComparer.Ordinal);
            foreach (var e in events.Events) all[EventRef.Of(e.Source, e.Id)] = (e.Subject, e.Time);
            foreach (var f in events.Failures) all[f.EventId] = (f.Customer, f.Time);
            times = all;
        }
        _times = times;
        _holds = rules.Outcomes.Where(o => o.Hold is not null).ToDictionary(o => o.Name, o => o.Hold!.Window, StringComparer.Ordinal);
        Outcomes = detection.Outcomes.Where(o => o.Customer == customer).ToList();
    }

    /// <summary>Binds and detects <paramref name="events"/> (the customer's stored events) under <paramref name="rules"/>.</summary>
    public static CustomerActivity From(CompiledRuleSet rules, string customer, IEnumerable<StoredEvent> events)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(events);
        var bound = EventBinding.Bind(rules, events);
        return From(rules, customer, bound, OutcomeDetector.Detect(rules, bound, DateTimeOffset.MaxValue));
    }

    /// <summary>
    /// The stage over a detection made elsewhere (e.g. maintained incrementally); it must have been made with an
    /// open-ended cutoff, as <see cref="OutcomeDetector"/> does for <see cref="From(CompiledRuleSet, string, IEnumerable{StoredEvent})"/>.
    /// </summary>
    internal static CustomerActivity From(CompiledRuleSet rules, string customer, BoundEvents events, OutcomeDetection detection) =>
        new(rules, customer, events, detection);

    /// <summary>
    /// The customer's activity read from the outcome state the store keeps (when it is current for
    /// <paramref name="rules"/>; rebuilt first when it is not), without reading or detecting the customer's events —
    /// only the events cost rules read are bound. A store without state, or a state that cannot place every excluded
    /// event, falls back to <see cref="From(CompiledRuleSet, string, IEnumerable{StoredEvent})"/> over the stored
    /// events, the oracle: both give the same activity (CloseFromStateProperties).
    /// </summary>
    internal static CustomerActivity Load(IBillingStore store, string tenant, string customer, CompiledRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rules);
        if (StoredOutcomes.Read(store, tenant, customer, rules) is not { } state)
        {
            return From(rules, customer, store.ReadEvents(tenant, customer));
        }

        var times = new Dictionary<string, (string, DateTimeOffset)>(state.Times.Count, StringComparer.Ordinal);
        foreach (var (eventRef, time) in state.Times) times[eventRef] = (customer, time);
        return new CustomerActivity(rules, customer, CostEvents(store, tenant, customer, rules), state.Detection, times);
    }

    /// <summary>The customer's events that cost rules read, bound (none read at all when the rules have no cost rule).</summary>
    private static BoundEvents CostEvents(IBillingStore store, string tenant, string customer, CompiledRuleSet rules)
    {
        if (rules.Costs.Count == 0) return new BoundEvents([], []);
        var types = rules.Costs.Select(c => c.EventType).ToHashSet(StringComparer.Ordinal);
        var bound = EventBinding.Bind(rules, store.ReadEvents(tenant, customer).Where(e => types.Contains(e.Type)));
        // Cost rules read bound events only; a cost event that no longer binds is an exclusion of outcome rules,
        // which the state already holds.
        return bound with { Failures = [] };
    }

    /// <summary>The customer whose activity this is.</summary>
    public string Customer { get; }

    /// <summary>The hash of the rule set the events were detected under.</summary>
    public string RulesHash => Rules.Hash;

    /// <summary>Every outcome instance of the customer, in its final state (billable or reversed); see <see cref="StateAt"/>.</summary>
    public IReadOnlyList<OutcomeInstance> Outcomes { get; }

    internal CompiledRuleSet Rules { get; }

    internal BoundEvents Events { get; }

    internal OutcomeDetection Detection { get; }

    /// <summary>
    /// The state of <paramref name="outcome"/> as of <paramref name="asOf"/>: reversed, pending while its validation
    /// window is open at that instant, billable otherwise.
    /// </summary>
    public OutcomeState StateAt(OutcomeInstance outcome, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.State == OutcomeState.Billable && outcome.BillableAt > asOf && _holds.ContainsKey(outcome.Outcome)
            ? OutcomeState.Pending
            : outcome.State;
    }

    /// <summary>The customer's outcome instances with their state as of <paramref name="asOf"/>.</summary>
    public IReadOnlyList<OutcomeInstance> OutcomesAt(DateTimeOffset asOf) => Outcomes.Select(o => At(o, asOf)).ToList();

    /// <summary>Every instance of (<paramref name="outcome"/>, <paramref name="key"/>) as of <paramref name="asOf"/> (several when a dedup window lets the key count again).</summary>
    public IReadOnlyList<OutcomeInstance> Instances(string outcome, string key, DateTimeOffset asOf) =>
        Outcomes.Where(o => o.Outcome == outcome && o.Key == key).Select(o => At(o, asOf)).ToList();

    /// <summary>The period of the contract governing the customer at <paramref name="at"/> (explicit assignments win), or null when none does.</summary>
    public ContractPeriod? PeriodAt(DateTimeOffset at, IReadOnlyList<ContractAssignment>? assignments = null) =>
        ContractResolver.PeriodAt(Rules.Contracts, Customer, at, assignments);

    /// <summary>Every contract period of the customer overlapping [from, to), in time order.</summary>
    public IReadOnlyList<ContractPeriod> PeriodsBetween(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<ContractAssignment>? assignments = null) =>
        ContractResolver.PeriodsBetween(Rules.Contracts, Customer, from, to, assignments);

    /// <summary>
    /// What the customer's activity amounts to in <paramref name="period"/> as of <paramref name="asOf"/> (clamped to
    /// the period end). One placement for every reader:
    /// <list type="bullet">
    /// <item>an outcome is placed in the segment where it is billed (its BillableAt), billable when that instant is at
    /// or before <paramref name="asOf"/> and pending until then;</item>
    /// <item>an outcome that happened in the period but is billed only after it (a validation window crossing the
    /// period end) is also shown, pending, in the segment where it happened, so its invoice explains it;</item>
    /// <item>a reversed outcome is placed where it happened;</item>
    /// <item>events that count towards no outcome are placed by their time, with their reason.</item>
    /// </list>
    /// An invoice is this answer as of the period end (<see cref="ForInvoice"/>); usage of an open period is the same
    /// placement as of now, so "billable + pending in this period" is what the invoice will bill.
    /// </summary>
    public PeriodActivity InPeriod(ContractPeriod period, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(period);
        if (asOf > period.Period.To) asOf = period.Period.To;
        var errors = Detection.Errors.Where(e => Touches(e, period.Period)).ToList();
        var segments = new List<SegmentActivity>();
        foreach (var segment in period.Segments)
        {
            var range = segment.Range;
            var outcomes = new List<OutcomeInstance>();
            foreach (var o in Outcomes)
            {
                var placed = o.State == OutcomeState.Reversed
                    ? range.Contains(o.EventTime)
                    : range.Contains(o.BillableAt)
                      // Billed exactly at the period end belongs to the next period only, as of any instant: the
                      // invoice (as of its end) finds it billable there, so usage must not show it here either.
                      || (range.Contains(o.EventTime) && o.BillableAt > period.Period.To);
                if (placed) outcomes.Add(At(o, asOf));
            }
            // Pending and reversed are states of an outcome, listed with the outcomes rather than as exclusions.
            var excluded = Detection.Excluded.Where(x =>
                x.Reason is not (ExclusionReasons.ReversedWithinWindow or ExclusionReasons.PendingValidation)
                && _times.TryGetValue(x.EventId, out var at) && at.Customer == Customer && range.Contains(at.Time)).ToList();
            var costs = CostAggregator.Aggregate(Rules, Events, range);
            errors.AddRange(costs.Errors.Where(e => e.Customer == Customer));
            segments.Add(new SegmentActivity(segment, PlanOf(segment.Version), outcomes, excluded,
                costs.Totals.Where(c => c.Customer == Customer).ToList()));
        }
        return new PeriodActivity(Customer, period, asOf, segments, errors);
    }

    /// <summary>The activity an invoice of <paramref name="period"/> bills: as of the period end.</summary>
    public PeriodActivity ForInvoice(ContractPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return InPeriod(period, period.Period.To);
    }

    /// <summary>
    /// Metered usage of <paramref name="outcome"/> in <paramref name="window"/> by event time: the quantities of its
    /// instances that are billable or pending (a reversal gives the quota back).
    /// </summary>
    /// <remarks>O(log N): answered from an index built on first use (an activity is immutable), see <see cref="WindowIndex"/>.</remarks>
    public decimal OutcomeUsage(string outcome, BillingPeriodRange window) =>
        _outcomeWindows.GetOrAdd(outcome, name => new Lazy<WindowIndex>(() => new WindowIndex(
                Outcomes.Where(o => o.Outcome == name && o.State != OutcomeState.Reversed).Select(o => (o.EventTime, o.Quantity)))))
            .Value.Sum(window.From, window.To);

    /// <summary>The number of the customer's events of <paramref name="eventType"/> in <paramref name="window"/>.</summary>
    /// <remarks>O(log N), like <see cref="OutcomeUsage"/>.</remarks>
    public int EventCount(string eventType, BillingPeriodRange window) => _allEvents
        ? _eventWindows.GetOrAdd(eventType, type => new Lazy<WindowIndex>(() => new WindowIndex(
                Events.Events.Where(e => e.Type == type && e.Subject == Customer).Select(e => (e.Time, 1m)))))
            .Value.Count(window.From, window.To)
        : throw new InvalidOperationException("an activity read from the outcome state holds only the events cost rules read; count events on one built from the events");

    /// <summary>
    /// Those of <paramref name="events"/> (the customer's stored events, or a range of them) that no contract governs
    /// at their time, so no invoice can bill them (dsl-spec §10.3), each with the reason.
    /// </summary>
    public IReadOnlyList<UnbilledEvent> Unbilled(IEnumerable<StoredEvent> events, IReadOnlyList<ContractAssignment>? assignments = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        var contracts = Rules.Contracts;
        var named = contracts.Where(v => v.IsDefault || v.Customers.Contains(Customer, StringComparer.Ordinal)).ToList();
        var result = new List<UnbilledEvent>();
        foreach (var e in events)
        {
            if (ContractResolver.Resolve(contracts, Customer, e.Time, assignments) is not null) continue;
            var detail = named.Count == 0
                ? $"no contract names customer '{Customer}' and there is no default contract"
                : $"no contract governs customer '{Customer}' at {UtcTimestamp.Format(e.Time)}; "
                  + string.Join(", ", named.Select(v => v.Contract).Distinct().Select(c => $"contract '{c}' is in force {Describe(InForce(contracts, c))}"));
            result.Add(new UnbilledEvent(Customer, EventRef.Of(e.Source, e.Id), e.Type, e.Time, UnbilledReasons.NoContract, detail));
        }
        return result;
    }

    /// <summary>The pricing a contract version bills with; a dangling reference is a clear error, not a missing line.</summary>
    internal PricingPlan PlanOf(ContractVersion version) =>
        Rules.Pricings.TryGetValue(version.Pricing, out var plan)
            ? plan
            : throw new BillingException($"contract '{version.Contract}' version {version.Version} uses unknown pricing '{version.Pricing}'");

    private OutcomeInstance At(OutcomeInstance o, DateTimeOffset asOf)
    {
        var state = StateAt(o, asOf);
        return state == o.State ? o : o with { State = state };
    }

    /// <summary>
    /// Whether an error can change this period: its event happened in it, or — for held outcomes and their
    /// reversals — the validation window ends in it.
    /// </summary>
    private bool Touches(RatingError error, BillingPeriodRange period)
    {
        if (!_times.TryGetValue(error.EventId, out var at)) return true;
        if (period.Contains(at.Time)) return true;
        return _holds.TryGetValue(error.Rule, out var window) && at.Time < period.To && at.Time + window >= period.From;
    }

    /// <summary>The span a contract's versions are in force, from its first version to its last one's end.</summary>
    private static BillingPeriodRange InForce(IReadOnlyList<ContractVersion> contracts, string contract)
    {
        var ranges = contracts.Where(v => v.Contract == contract).Select(v => ContractResolver.InForce(contracts, v)).ToList();
        return new BillingPeriodRange(ranges.Min(r => r.From), ranges.Max(r => r.To));
    }

    private static string Describe(BillingPeriodRange range) =>
        $"from {UtcTimestamp.Format(range.From)}" + (range.To == DateTimeOffset.MaxValue ? "" : $" until {UtcTimestamp.Format(range.To)}");
}
