using System.Globalization;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;

namespace RulesBilling.Engine.Outcomes;

/// <summary>
/// Turns bound events into outcome instances per docs/dsl-spec.md §7 "Outcomes": condition, dedup per
/// (customer, outcome, key) with an optional window, quantity, value, dimensions, split shares, and hold
/// windows with reversals. Evaluation faults exclude the event as <c>rating-error</c> and are reported.
/// </summary>
internal static class OutcomeDetector
{
    /// <param name="cutoff">The evaluation instant: a held outcome whose window has not closed by then is pending.</param>
    public static OutcomeDetection Detect(CompiledRuleSet rules, BoundEvents events, DateTimeOffset cutoff)
    {
        var outcomes = new List<OutcomeInstance>();
        var excluded = new List<ExcludedEvent>();
        var errors = new List<RatingError>();

        foreach (var rule in rules.Outcomes)
        {
            foreach (var failure in events.Failures.Where(f => f.Type == rule.EventType || f.Type == rule.Hold?.ReversingEventType))
            {
                excluded.Add(new ExcludedEvent(failure.EventId, rule.Name, ExclusionReasons.RejectedBySchema, failure.Reason));
            }

            var reversals = rule.Hold is { } hold ? ReversalKeys(rule, hold, events.Events, excluded, errors) : NoReversals;
            foreach (var customer in events.Events.Where(e => e.Type == rule.EventType).GroupBy(e => e.Subject))
            {
                DetectForCustomer(rule, customer, reversals, cutoff, outcomes, excluded, errors);
            }
        }

        outcomes.Sort(CompareOutcomes);
        excluded.Sort(CompareExclusions);
        errors.Sort((a, b) => CompareOrdinal(a.Customer, b.Customer, a.EventId, b.EventId, a.Rule, b.Rule));
        return new OutcomeDetection(outcomes, excluded, errors);
    }

    private static void DetectForCustomer(
        OutcomeRule rule,
        IEnumerable<RuleEvent> customerEvents,
        IReadOnlyDictionary<(string Subject, string Key), List<Reversal>> reversals,
        DateTimeOffset cutoff,
        List<OutcomeInstance> outcomes,
        List<ExcludedEvent> excluded,
        List<RatingError> errors)
    {
        // The counted instance per key; duplicates are folded into it.
        var counted = new Dictionary<string, Counted>(StringComparer.Ordinal);
        var instances = new List<Counted>();

        foreach (var e in customerEvents)
        {
            var eventRef = EventRef.Of(e.Source, e.Id);
            if (rule.Condition is { } condition)
            {
                if (!Evaluate(() => condition(e), e, rule, excluded, errors, out var qualifies)) continue;
                if (!qualifies)
                {
                    excluded.Add(new ExcludedEvent(eventRef, rule.Name, ExclusionReasons.FailedCondition, null));
                    continue;
                }
            }

            var key = eventRef;
            if (rule.Key is { } keyOf)
            {
                if (!Evaluate(() => keyOf(e), e, rule, excluded, errors, out var declaredKey)) continue;
                key = declaredKey;
            }

            // A reversed outcome releases its key: a ticket reopened inside its window and resolved again at or after
            // the reopen is one billable outcome (the later one, with its own window), not zero. The reversal that
            // released the key is spent: it never reverses the outcome that replaced the reversed one, even at the
            // same instant, so the result does not depend on the timestamps' precision.
            var released = -1;
            if (counted.TryGetValue(key, out var first)
                && (rule.DedupWindow is not { } window || e.Time - first.Event.Time <= window)
                && (released = ReleasedBy(rule, first, reversals, e.Time)) < 0)
            {
                first.Duplicates.Add(eventRef);
                excluded.Add(new ExcludedEvent(eventRef, rule.Name, ExclusionReasons.DuplicateKey,
                    $"key \"{key}\" already counted by {EventRef.Of(first.Event.Source, first.Event.Id)}"));
                continue;
            }

            if (!TryMeasure(rule, e, excluded, errors, out var measure)) continue;
            var instance = new Counted(e, key, measure, [], released + 1);
            counted[key] = instance;
            instances.Add(instance);
        }

        foreach (var c in instances)
        {
            outcomes.Add(Complete(rule, c, reversals, cutoff, excluded));
        }
    }

    private static OutcomeInstance Complete(
        OutcomeRule rule, Counted c, IReadOnlyDictionary<(string Subject, string Key), List<Reversal>> reversals, DateTimeOffset cutoff, List<ExcludedEvent> excluded)
    {
        var e = c.Event;
        var eventRef = EventRef.Of(e.Source, e.Id);
        var state = OutcomeState.Billable;
        var billableAt = e.Time;
        string? reversedBy = null;

        if (rule.Hold is { } hold)
        {
            billableAt = e.Time + hold.Window;
            var found = FindReversal(c, reversals, billableAt);
            if (found >= 0)
            {
                var reversal = reversals[(e.Subject, c.Key)][found];
                state = OutcomeState.Reversed;
                reversedBy = EventRef.Of(reversal.Event.Source, reversal.Event.Id);
                excluded.Add(new ExcludedEvent(eventRef, rule.Name, ExclusionReasons.ReversedWithinWindow,
                    $"reversed by {reversedBy} ({hold.ReversingEventType}) at {Format(reversal.Event.Time)}, within the window ending {Format(billableAt)}"));
            }
            else if (billableAt > cutoff)
            {
                state = OutcomeState.Pending;
                excluded.Add(new ExcludedEvent(eventRef, rule.Name, ExclusionReasons.PendingValidation,
                    $"validation window ends {Format(billableAt)}, after {Format(cutoff)}"));
            }
        }

        return new OutcomeInstance(
            rule.Name, e.Subject, c.Key, e.Source, e.Id, e.Time, billableAt,
            c.Measure.Quantity, c.Measure.Value, c.Measure.Value is null ? null : rule.ValueCurrency,
            c.Measure.Dimensions, c.Measure.Split, state, c.Duplicates, reversedBy);
    }

    /// <summary>
    /// The index (among the key's reversals) of the reversal inside <paramref name="c"/>'s validation window that
    /// happened at or before <paramref name="at"/>, releasing the key; −1 when the key is not released.
    /// </summary>
    private static int ReleasedBy(OutcomeRule rule, Counted c, IReadOnlyDictionary<(string Subject, string Key), List<Reversal>> reversals, DateTimeOffset at)
    {
        if (rule.Hold is not { } hold) return -1;
        var index = FindReversal(c, reversals, c.Event.Time + hold.Window);
        return index >= 0 && reversals[(c.Event.Subject, c.Key)][index].Event.Time <= at ? index : -1;
    }

    /// <summary>The first reversal not spent by an earlier outcome of the key, in [event time, window end]; −1 if none.</summary>
    private static int FindReversal(Counted c, IReadOnlyDictionary<(string Subject, string Key), List<Reversal>> reversals, DateTimeOffset windowEnd)
    {
        if (!reversals.TryGetValue((c.Event.Subject, c.Key), out var candidates)) return -1;
        for (var i = c.FirstReversal; i < candidates.Count; i++)
        {
            var r = candidates[i];
            if (r.Event.Time >= c.Event.Time && r.Event.Time <= windowEnd) return i;
        }
        return -1;
    }

    /// <summary>Quantity, value, dimensions and split targets of a counted event.</summary>
    private static bool TryMeasure(OutcomeRule rule, RuleEvent e, List<ExcludedEvent> excluded, List<RatingError> errors, out Measure measure)
    {
        measure = null!;
        if (!Evaluate(() => rule.Quantity(e), e, rule, excluded, errors, out var quantity)) return false;
        if (quantity < 0)
        {
            var message = $"{rule.Location}: error {RuleEvaluation.NegativeQuantity}: quantity of outcome '{rule.Name}' is negative ({quantity.ToString(CultureInfo.InvariantCulture)})";
            Fail(RuleEvaluation.Error(e, rule.Name, RuleEvaluation.NegativeQuantity, message), rule, excluded, errors);
            return false;
        }

        decimal? value = null;
        if (rule.Value is { } valueOf)
        {
            if (!Evaluate(() => valueOf(e), e, rule, excluded, errors, out var v)) return false;
            value = v;
        }

        var dimensions = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var dimension in rule.Dimensions)
        {
            if (!Evaluate(() => dimension.Selector(e), e, rule, excluded, errors, out var dv)) return false;
            dimensions[dimension.Name] = dv;
        }

        var split = new List<SplitAllocationShare>();
        if (rule.Split is { } splitRule)
        {
            foreach (var share in splitRule.Shares)
            {
                if (!Evaluate(() => share.Target(e), e, rule, excluded, errors, out var target)) return false;
                split.Add(new SplitAllocationShare(splitRule.Dimension, target, share.Fraction));
            }
        }

        measure = new Measure(quantity, value, dimensions, split);
        return true;
    }

    /// <summary>
    /// The reversal key of every event of the hold's reversing type, grouped by (customer, key) and in event order
    /// within a group: each counted instance looks up only its own candidates instead of scanning every reversal.
    /// </summary>
    private static IReadOnlyDictionary<(string Subject, string Key), List<Reversal>> ReversalKeys(
        OutcomeRule rule, HoldRule hold, IReadOnlyList<RuleEvent> events, List<ExcludedEvent> excluded, List<RatingError> errors)
    {
        var reversals = new Dictionary<(string Subject, string Key), List<Reversal>>();
        foreach (var e in events)
        {
            if (e.Type != hold.ReversingEventType) continue;
            if (!Evaluate(() => hold.ReversalKey(e), e, rule, excluded, errors, out var key)) continue;
            if (!reversals.TryGetValue((e.Subject, key), out var group)) reversals[(e.Subject, key)] = group = [];
            group.Add(new Reversal(e, key));
        }
        return reversals;
    }

    private static bool Evaluate<T>(
        Func<T> evaluate, RuleEvent e, OutcomeRule rule, List<ExcludedEvent> excluded, List<RatingError> errors, out T result)
    {
        if (RuleEvaluation.TryEvaluate(evaluate, e, rule.Name, rule.Location, out result, out var error)) return true;
        Fail(error!, rule, excluded, errors);
        return false;
    }

    private static void Fail(RatingError error, OutcomeRule rule, List<ExcludedEvent> excluded, List<RatingError> errors)
    {
        errors.Add(error);
        excluded.Add(new ExcludedEvent(error.EventId, rule.Name, ExclusionReasons.RatingError, error.Message));
    }

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static int CompareOutcomes(OutcomeInstance a, OutcomeInstance b)
    {
        var byOutcome = string.CompareOrdinal(a.Outcome, b.Outcome);
        if (byOutcome != 0) return byOutcome;
        var byCustomer = string.CompareOrdinal(a.Customer, b.Customer);
        if (byCustomer != 0) return byCustomer;
        var byTime = a.EventTime.CompareTo(b.EventTime);
        if (byTime != 0) return byTime;
        return CompareOrdinal(a.EventSource, b.EventSource, a.EventId, b.EventId, "", "");
    }

    private static int CompareExclusions(ExcludedEvent a, ExcludedEvent b) =>
        CompareOrdinal(a.Outcome, b.Outcome, a.EventId, b.EventId, a.Reason, b.Reason);

    private static int CompareOrdinal(string a1, string b1, string a2, string b2, string a3, string b3)
    {
        var c = string.CompareOrdinal(a1, b1);
        if (c != 0) return c;
        c = string.CompareOrdinal(a2, b2);
        return c != 0 ? c : string.CompareOrdinal(a3, b3);
    }

    private sealed record Measure(
        decimal Quantity, decimal? Value, IReadOnlyDictionary<string, string?> Dimensions, IReadOnlyList<SplitAllocationShare> Split);

    /// <param name="FirstReversal">Reversals of the key before this index were spent releasing it for this outcome.</param>
    private sealed record Counted(RuleEvent Event, string Key, Measure Measure, List<string> Duplicates, int FirstReversal);

    private sealed record Reversal(RuleEvent Event, string Key);

    private static readonly IReadOnlyDictionary<(string Subject, string Key), List<Reversal>> NoReversals =
        new Dictionary<(string Subject, string Key), List<Reversal>>();
}
