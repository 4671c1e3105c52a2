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
    /// <summary>
    /// Detects every outcome of <paramref name="events"/>: literally the composition of <see cref="Place(CompiledRuleSet, RuleEvent)"/>
    /// per event and <see cref="DetectGroup"/> per key group, which is what lets the store maintain the same result one
    /// group at a time (see <c>StoredOutcomes</c>).
    /// </summary>
    /// <param name="cutoff">The evaluation instant: a held outcome whose window has not closed by then is pending.</param>
    public static OutcomeDetection Detect(CompiledRuleSet rules, BoundEvents events, DateTimeOffset cutoff)
    {
        var parts = new List<OutcomeDetection>();
        foreach (var failure in events.Failures) parts.Add(Place(rules, failure));

        var groups = new Dictionary<(string Outcome, string Customer, string Key), KeyGroup>();
        foreach (var e in events.Events)
        {
            var placement = Place(rules, e);
            parts.Add(placement.Detection);
            foreach (var member in placement.Groups)
            {
                var id = (member.Outcome, e.Subject, member.Key);
                if (!groups.TryGetValue(id, out var group)) groups[id] = group = new KeyGroup(member.Outcome, e.Subject, member.Key, [], [], []);
                (member.Role switch { GroupRole.Reversal => group.Reversals, GroupRole.Disqualifier => group.Disqualifiers, _ => group.Members }).Add(e);
            }
        }

        var byName = rules.Outcomes.ToDictionary(r => r.Name, StringComparer.Ordinal);
        foreach (var group in groups.Values) parts.Add(DetectGroup(byName[group.Outcome], group, cutoff));
        return Merge(parts);
    }

    /// <summary>
    /// What one event does on its own, before any other event is looked at: for each rule of its type, the
    /// failed condition or the evaluation fault that excludes it, or the key group it joins; for each hold it can
    /// reverse, the reversal key group it joins (or the fault in its reversal key). A pure function of the event and
    /// the rules, so it never needs recomputing when other events arrive.
    /// </summary>
    public static EventPlacement Place(CompiledRuleSet rules, RuleEvent e)
    {
        var excluded = new List<ExcludedEvent>();
        var errors = new List<RatingError>();
        var groups = new List<GroupMembership>();
        var eventRef = EventRef.Of(e.Source, e.Id);
        foreach (var rule in rules.Outcomes)
        {
            if (rule.Hold is { } hold && e.Type == hold.ReversingEventType
                && Evaluate(() => hold.ReversalKey(e), e, rule, excluded, errors, out var reversalKey))
            {
                groups.Add(new GroupMembership(rule.Name, reversalKey, GroupRole.Reversal));
            }

            if (rule.Disqualification is { } disqualification && e.Type == disqualification.EventType
                && (disqualification.Condition is not { } disqualifies || (Evaluate(() => disqualifies(e), e, rule, excluded, errors, out var holds) && holds))
                && Evaluate(() => disqualification.DisqualifiedKey(e), e, rule, excluded, errors, out var disqualifiedKey))
            {
                groups.Add(new GroupMembership(rule.Name, disqualifiedKey, GroupRole.Disqualifier));
            }

            if (e.Type != rule.EventType) continue;
            if (rule.Condition is { } condition)
            {
                if (!Evaluate(() => condition(e), e, rule, excluded, errors, out var qualifies)) continue;
                if (!qualifies)
                {
                    excluded.Add(new ExcludedEvent(eventRef, rule.Name, ExclusionReasons.FailedCondition, FailedPart(rule, e)));
                    continue;
                }
            }

            var key = eventRef;
            if (rule.Key is { } keyOf)
            {
                if (!Evaluate(() => keyOf(e), e, rule, excluded, errors, out var declaredKey)) continue;
                key = declaredKey;
            }
            groups.Add(new GroupMembership(rule.Name, key, GroupRole.Member));
        }
        return new EventPlacement(new OutcomeDetection([], excluded, errors), groups);
    }

    /// <summary>
    /// Which <c>and</c>-part of the condition failed, with the values of the fields it read: <c>escalated == false
    /// (escalated: true)</c>. Parts are tried in order, as <c>and</c> evaluates them, so a part narrowed by an earlier
    /// <c>has()</c> is only evaluated once that part held.
    /// </summary>
    private static string? FailedPart(OutcomeRule rule, RuleEvent e)
    {
        foreach (var part in rule.ConditionParts)
        {
            bool holds;
            try
            {
                holds = part.Holds(e);
            }
            catch (RuleEvaluationException)
            {
                return null;
            }
            if (holds) continue;
            var values = part.Fields.Select(f => $"{f.Name}: {Show(e.Fields[f.Slot])}");
            return part.Fields.Count == 0 ? $"{part.Text} was false" : $"{part.Text} was false ({string.Join(", ", values)})";
        }
        return null;
    }

    private static string Show(object? value) => value switch
    {
        null => "absent",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset t => UtcTimestamp.Format(t),
        TimeSpan span => System.Xml.XmlConvert.ToString(span),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>An event that no longer binds to its schema is excluded by every rule that reads its type.</summary>
    public static OutcomeDetection Place(CompiledRuleSet rules, BindingFailure failure)
    {
        var excluded = new List<ExcludedEvent>();
        foreach (var rule in rules.Outcomes)
        {
            if (failure.Type == rule.EventType || failure.Type == rule.Hold?.ReversingEventType)
            {
                excluded.Add(new ExcludedEvent(failure.EventId, rule.Name, ExclusionReasons.RejectedBySchema, failure.Reason));
            }
        }
        return new OutcomeDetection([], excluded, []);
    }

    /// <summary>
    /// The outcomes of one key group (dedup, measure, hold and reversals): it depends on the group's own events only,
    /// so an arriving event changes the groups it joins and no other.
    /// </summary>
    public static OutcomeDetection DetectGroup(OutcomeRule rule, KeyGroup group, DateTimeOffset cutoff)
    {
        var outcomes = new List<OutcomeInstance>();
        var excluded = new List<ExcludedEvent>();
        var errors = new List<RatingError>();
        if (group.Disqualifiers.Count > 0) return Disqualified(rule, group);
        var reversals = group.Reversals.Count == 0
            ? NoReversals
            : new Dictionary<(string Subject, string Key), List<Reversal>> { [(group.Customer, group.Key)] = group.Reversals.Select(r => new Reversal(r, group.Key)).ToList() };

        // The counted instance of the key; duplicates are folded into it.
        Counted? counted = null;
        var instances = new List<Counted>();
        foreach (var e in group.Members)
        {
            var eventRef = EventRef.Of(e.Source, e.Id);
            var key = group.Key;

            // A reversed outcome releases its key: a ticket reopened inside its window and resolved again at or after
            // the reopen is one billable outcome (the later one, with its own window), not zero. The reversal that
            // released the key is spent: it never reverses the outcome that replaced the reversed one, even at the
            // same instant, so the result does not depend on the timestamps' precision.
            var released = -1;
            if (counted is { } first
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
            counted = instance;
            instances.Add(instance);
        }

        foreach (var c in instances)
        {
            outcomes.Add(Complete(rule, c, reversals, cutoff, excluded));
        }
        return new OutcomeDetection(outcomes, excluded, errors);
    }

    /// <summary>
    /// A disqualified key is never billable (docs/dsl-spec.md §7.8): every event with it is excluded, before or after the
    /// disqualifying event, in any period. Unlike a reversal nothing is released, and the result does not depend on the
    /// order the events arrived in. The earliest disqualifying event is named.
    /// </summary>
    private static OutcomeDetection Disqualified(OutcomeRule rule, KeyGroup group)
    {
        var by = group.Disqualifiers[0];
        foreach (var d in group.Disqualifiers)
        {
            if (EventOrder.Compare(d, by) < 0) by = d;
        }
        var detail = $"key \"{group.Key}\" disqualified by {EventRef.Of(by.Source, by.Id)} ({by.Type}) at {Format(by.Time)}";
        var excluded = group.Members.Select(e => new ExcludedEvent(EventRef.Of(e.Source, e.Id), rule.Name, ExclusionReasons.Disqualified, detail)).ToList();
        return new OutcomeDetection([], excluded, []);
    }

    /// <summary>Concatenates partial detections into one in the detector's canonical order.</summary>
    public static OutcomeDetection Merge(IEnumerable<OutcomeDetection> parts)
    {
        var outcomes = new List<OutcomeInstance>();
        var excluded = new List<ExcludedEvent>();
        var errors = new List<RatingError>();
        foreach (var part in parts)
        {
            outcomes.AddRange(part.Outcomes);
            excluded.AddRange(part.Excluded);
            errors.AddRange(part.Errors);
        }

        outcomes.Sort(CompareOutcomes);
        excluded.Sort(CompareExclusions);
        errors.Sort(CompareErrors);
        return new OutcomeDetection(outcomes, excluded, errors);
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
        if (quantity < 0 && !rule.SignedQuantity)
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

    // The detail breaks the last tie (an event whose type is both counted and reversing can fault twice in one rule),
    // so the order never depends on the order the parts were produced in.
    private static int CompareExclusions(ExcludedEvent a, ExcludedEvent b)
    {
        var c = CompareOrdinal(a.Outcome, b.Outcome, a.EventId, b.EventId, a.Reason, b.Reason);
        return c != 0 ? c : string.CompareOrdinal(a.Detail, b.Detail);
    }

    private static int CompareErrors(RatingError a, RatingError b)
    {
        var c = CompareOrdinal(a.Customer, b.Customer, a.EventId, b.EventId, a.Rule, b.Rule);
        return c != 0 ? c : string.CompareOrdinal(a.Message, b.Message);
    }

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
