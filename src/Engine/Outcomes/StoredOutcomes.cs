using RulesBilling.Dsl.Model;
using static RulesBilling.Engine.Outcomes.OutcomeStateJson;

namespace RulesBilling.Engine.Outcomes;

/// <summary>
/// Outcome detection maintained in the store as events arrive (docs/architecture.md "Outcome state"). The state is
/// cutoff-free: it equals <see cref="OutcomeDetector.Detect"/> with an open-ended cutoff, which is period-independent
/// except billable-vs-pending, a function of each outcome's BillableAt and the reader's as-of instant.
/// <para>
/// <see cref="Apply"/> runs inside the append transaction and recomputes only the key groups the new events join,
/// with the detector's own <see cref="OutcomeDetector.DetectGroup"/>; <see cref="Detect"/> reads a customer's
/// entries and merges them. Full detection from the events stays the oracle: a state built with another rule set
/// (or never built) is rebuilt from the events before it is read.
/// </para>
/// </summary>
internal static class StoredOutcomes
{
    /// <summary>
    /// Folds just-appended, accepted events into the state. Call inside the transaction that appended them, so a
    /// crash or rollback never leaves events without state. When the state was never built or was built with other rules it is
    /// rebuilt from all events with <paramref name="rules"/> instead (one full detection in this transaction).
    /// </summary>
    public static void Apply(IStoreSession store, string tenant, CompiledRuleSet rules, IReadOnlyList<StoredEvent> accepted) =>
        Apply(store, tenant, rules, accepted.Select(e => OutcomeArrival.Of(rules, e)).ToList());

    /// <summary>
    /// <see cref="Apply(IStoreSession, string, CompiledRuleSet, IReadOnlyList{StoredEvent})"/> for events already
    /// bound and placed with <paramref name="rules"/> (<see cref="OutcomeArrival.Of"/>, outside the transaction).
    /// </summary>
    /// <param name="prepared">
    /// The key groups of the append's arrivals detected and encoded before the writer was taken
    /// (<see cref="PreparedGroups.Of"/>), used for each group that turns out new with all its arrivals accepted; null:
    /// every group is detected here.
    /// </param>
    public static void Apply(IStoreSession store, string tenant, CompiledRuleSet rules, IReadOnlyList<OutcomeArrival> accepted, PreparedGroups? prepared = null)
    {
        if (accepted.Count == 0 || store.OutcomeState() is not { } state) return;
        if (state.Tenant(tenant)?.RuleSetHash != StateHash(rules) && !BeginEmpty(state, tenant, rules, accepted.Count))
        {
            // First append since the state existed, or since the rules changed: the events just appended are visible
            // to this transaction, so the rebuild covers them.
            Rebuild(store, tenant, rules);
            return;
        }

        state.LockTenant(tenant, exclusive: false);
        if (state.Tenant(tenant)?.RuleSetHash != StateHash(rules))
        {
            // Rebuilt for other rules meanwhile (another node): these events cannot be folded into that state.
            state.SetRuleSet(tenant, "");
            return;
        }

        // Every customer with a new event changes, even when no outcome rule reads its type: readers caching a
        // customer's activity by its version also count events (event-count limits, costs).
        var changed = new SortedSet<string>(accepted.Select(a => a.Stored.Subject), StringComparer.Ordinal);
        var writes = new List<OutcomeStateWrite>();
        // Event entries and group members in the order binding a customer's events gives (what Build does).
        foreach (var a in accepted.Where(a => a.Failure is not null).OrderBy(a => a.Failure, FailureOrder.Instance))
        {
            AddEvent(writes, a.Failure!.Customer, a.Failure.EventId, a.Failure.Time, a.Own);
        }

        foreach (var a in accepted.Where(a => a.Bound is not null).OrderBy(a => a.Bound, BoundOrder.Instance))
        {
            AddEvent(writes, a.Stored.Subject, EventRef.Of(a.Stored.Source, a.Stored.Id), a.Bound!.Time, a.Own);
        }
        var joined = Join(accepted);

        // Ordinal order of (customer, group), the lock order every node follows; the tenant's change version is
        // taken after every group lock, so no two appends wait for each other in a cycle.
        var byName = rules.Outcomes.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var stored = state.FindForUpdate(tenant, [.. joined.Keys]);
        var updated = new List<ChangedGroup>(joined.Count);
        var fresh = new List<(string Customer, string Entry, string Body)>();
        var n = 0;
        foreach (var ((customer, entry), arrivals) in joined)
        {
            var json = stored[n++];
            if (json is null && prepared?.Body(customer, entry, arrivals.Count) is { } body)
            {
                fresh.Add((customer, entry, body));
                continue;
            }
            var (outcome, key) = ParseGroupEntry(entry);
            var rule = byName[outcome];
            var previous = json is not null ? GroupEntryCodec.Read(json, outcome, customer, key) : null;
            var members = previous?.Members.ToDictionary(m => m.Ref, m => new GroupMember(m, null)) ?? [];
            var reversals = previous?.Reversals.ToDictionary(m => m.Ref, m => new GroupMember(m, null)) ?? [];
            var disqualifiers = previous?.Disqualifiers.ToDictionary(m => m.Ref, m => new GroupMember(m, null)) ?? [];
            foreach (var (a, role) in arrivals)
            {
                var list = role switch { GroupRole.Reversal => reversals, GroupRole.Disqualifier => disqualifiers, _ => members };
                list[EventRef.Of(a.Stored.Source, a.Stored.Id)] = new GroupMember(MemberEvent.Of(a.Stored), a.Bound);
            }

            updated.Add(new ChangedGroup(customer, entry, outcome, key, previous, DetectGroup(state, rules, rule, tenant, customer, key, members.Values, reversals.Values, disqualifiers.Values)));
        }

        var version = state.Touch(tenant, changed);
        // Event entries belong to just-accepted events, so they are new, like the groups nothing was found for.
        var replaced = new List<OutcomeStateWrite>();
        foreach (var (customer, entry, body) in fresh) writes.Add(new(customer, entry, GroupEntryCodec.WithVersion(body, version), version));
        foreach (var g in updated)
        {
            (g.Previous is null ? writes : replaced).Add(new(g.Customer, g.Entry, GroupEntryCodec.Write(g.Current with { Version = version }, g.Outcome, g.Customer, g.Key), version));
        }
        state.Put(tenant, writes, replaced);
    }

    /// <summary>
    /// The key groups the arrivals join, in ordinal order of (customer, group) — the lock order every node follows —
    /// each with its arrivals in event order and their role.
    /// </summary>
    internal static SortedDictionary<(string Customer, string Entry), List<(OutcomeArrival Arrival, GroupRole Role)>> Join(IEnumerable<OutcomeArrival> arrivals)
    {
        var joined = new SortedDictionary<(string Customer, string Entry), List<(OutcomeArrival Arrival, GroupRole Role)>>(GroupOrder.Instance);
        foreach (var a in arrivals.Where(a => a.Bound is not null).OrderBy(a => a.Bound, BoundOrder.Instance))
        {
            foreach (var member in a.Groups)
            {
                var id = (a.Stored.Subject, GroupEntry(member.Outcome, member.Key));
                if (!joined.TryGetValue(id, out var list)) joined[id] = list = [];
                list.Add((a, member.Role));
            }
        }
        return joined;
    }

    /// <summary>
    /// What a tenant's state row records as the state's basis: the rule-set hash and the entry format. A state written
    /// in another format (an older build's, whose key-group entries copied their events' data) then differs like a
    /// state of other rules, and the first append or read rebuilds it from the events (<see cref="Rebuild"/>).
    /// </summary>
    internal static string StateHash(CompiledRuleSet rules) => rules.Hash + EntryFormat;

    /// <summary>Key-group entries reference their members (source, id, time) instead of copying their data.</summary>
    private const string EntryFormat = "+entries-by-reference";

    /// <summary>
    /// A state that was never built, for a tenant whose only events are the <paramref name="appended"/> ones of this
    /// transaction, is empty whatever the rules: it begins here, for <paramref name="rules"/>, and those events are
    /// folded in like any others instead of being read back for a rebuild. Under the tenant's exclusive lock, so on a
    /// shared store a concurrent first append waits and then finds the state begun.
    /// </summary>
    private static bool BeginEmpty(IOutcomeStateStore state, string tenant, CompiledRuleSet rules, int appended)
    {
        state.LockTenant(tenant, exclusive: true);
        var row = state.Tenant(tenant);
        if (row?.RuleSetHash == StateHash(rules)) return true;
        if (row is not null || state.HasEventsBeyond(tenant, appended)) return false;
        state.SetRuleSet(tenant, StateHash(rules));
        return true;
    }

    /// <summary>One key group an append changed: what it was (null: new) and what it is now, at one place per group.</summary>
    private sealed record ChangedGroup(string Customer, string Entry, string Outcome, string Key, GroupDocument? Previous, GroupDocument Current);

    /// <summary>
    /// The events (source/id) of the customer's key groups that changed after change version <paramref name="version"/>:
    /// what a notification pass must look at again even when it is older than what already settled.
    /// </summary>
    public static IReadOnlySet<string> ChangedEvents(IStoreSession store, string tenant, string customer, long version)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        if (store.OutcomeState() is not { } state) return changed;
        foreach (var entry in state.ReadCustomerChangedSince(tenant, customer, version))
        {
            if (!entry.Name.StartsWith('g')) continue;
            var (groupVersion, refs) = GroupEntryCodec.Refs(entry.Json);
            if (groupVersion <= version) continue;
            changed.UnionWith(refs);
        }
        return changed;
    }

    /// <summary>Rebuilds the tenant's state when it was built with other rules (or never), so its change feed is meaningful.</summary>
    public static void Prepare(IStoreSession store, string tenant, CompiledRuleSet rules)
    {
        if (store.OutcomeState() is { } state && state.Tenant(tenant)?.RuleSetHash != StateHash(rules)) Rebuild(store, tenant, rules);
    }

    /// <summary>
    /// Marks the tenant's state stale, so the next read or append rebuilds it from the events: what a path that
    /// appends events without <see cref="Apply"/> (an import, a direct <c>AppendEvents</c>) must call afterwards.
    /// </summary>
    public static void Invalidate(IStoreSession store, string tenant)
    {
        if (store.OutcomeState() is not { } state || state.Tenant(tenant) is null) return;
        store.InTransaction(_ =>
        {
            state.SetRuleSet(tenant, "");
            return 0;
        });
    }

    /// <summary>The head of the tenant's change feed (0 when it has none).</summary>
    public static long TenantVersion(IStoreSession store, string tenant) => store.OutcomeState()?.Tenant(tenant)?.Version ?? 0;

    /// <summary>The customer's latest change version (null: no state, or a backend without one).</summary>
    public static long? CustomerVersion(IStoreSession store, string tenant, string customer) =>
        store.OutcomeState()?.CustomerVersion(tenant, customer);

    /// <summary>Customers changed after <paramref name="version"/>, and the tenant's current version; null for a backend without state.</summary>
    public static (IReadOnlyList<OutcomeStateChange> Changes, long Version)? ChangesSince(IStoreSession store, string tenant, long version)
    {
        if (store.OutcomeState() is not { } state) return null;
        var changes = state.ChangedSince(tenant, version);
        return (changes, changes.Count == 0 ? version : changes.Max(c => c.Version));
    }

    /// <summary>
    /// The customer's detection with an open-ended cutoff: what
    /// <c>OutcomeDetector.Detect(rules, EventBinding.Bind(rules, store.Events.ReadEvents(tenant, customer)), DateTimeOffset.MaxValue)</c>
    /// returns, read from the state (rebuilt first when it was built with other rules). Backends without state fall
    /// back to that full detection.
    /// </summary>
    public static OutcomeDetection Detect(IStoreSession store, string tenant, string customer, CompiledRuleSet rules)
    {
        if (store.OutcomeState() is not { } state)
        {
            return OutcomeDetector.Detect(rules, EventBinding.Bind(rules, store.Events.ReadEvents(tenant, customer)), DateTimeOffset.MaxValue);
        }
        if (state.Tenant(tenant)?.RuleSetHash != StateHash(rules)) Rebuild(store, tenant, rules);
        return OutcomeDetector.Merge(state.ReadCustomer(tenant, customer).Select(e => EntryDetection(customer, e)));
    }

    /// <summary>
    /// What a period close needs from the state without reading the customer's events: the detection (as
    /// <see cref="Detect"/>) and the event time of every event it excludes or reports an error for, so those can be
    /// placed in periods. The state is rebuilt first when it was built with other rules (or never). Null when the
    /// store keeps no state, or when an entry predates recorded event times (then the caller recomputes from the
    /// events, the oracle, and the state is marked stale so the next read or append rebuilds it).
    /// </summary>
    public static StateDetection? Read(IStoreSession store, string tenant, string customer, CompiledRuleSet rules)
    {
        if (store.OutcomeState() is not { } state) return null;
        if (state.Tenant(tenant)?.RuleSetHash != StateHash(rules)) Rebuild(store, tenant, rules);
        var parts = new List<OutcomeDetection>();
        var times = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        // The activity and the invoices built from this detection hold all of its strings at once.
        var shared = new SharedStrings();
        foreach (var entry in state.ReadCustomer(tenant, customer))
        {
            if (entry.Name.StartsWith('g'))
            {
                var (outcome, key) = ParseGroupEntry(entry.Name);
                var detection = GroupEntryCodec.Detection(entry.Json, shared.Get(outcome), customer, key, shared);
                // Only a group with exclusions or errors needs its members' times (rare: duplicates, reversals, faults).
                if (detection.Excluded.Count > 0 || detection.Errors.Count > 0) GroupEntryCodec.MemberTimes(entry.Json, times);
                parts.Add(detection);
                continue;
            }

            var (own, time) = EventDetection(entry.Json, shared);
            if (time is not { } at)
            {
                Invalidate(store, tenant);
                return null;
            }
            times[shared.Get(entry.Name[2..])] = at;
            parts.Add(own);
        }
        return new StateDetection(OutcomeDetector.Merge(parts), times);
    }

    /// <summary>
    /// Recomputes the tenant's whole state from its events with <paramref name="rules"/>, in one transaction that
    /// excludes concurrent updates; does nothing when another caller already rebuilt it for these rules.
    /// </summary>
    public static void Rebuild(IStoreSession store, string tenant, CompiledRuleSet rules)
    {
        if (store.OutcomeState() is not { } state) return;
        store.InTransaction(_ =>
        {
            state.LockTenant(tenant, exclusive: true);
            if (state.Tenant(tenant)?.RuleSetHash == StateHash(rules)) return 0;
            state.ClearTenant(tenant);
            var customers = store.Events.Customers(tenant);
            var version = state.Touch(tenant, [.. customers]);
            foreach (var customer in customers) Build(state, tenant, customer, rules, store.Events.ReadEvents(tenant, customer), version);
            state.SetRuleSet(tenant, StateHash(rules));
            return 0;
        });
    }

    /// <summary>Writes the entries of one customer from all its events: the same placement and groups as <see cref="OutcomeDetector.Detect"/>.</summary>
    private static void Build(IOutcomeStateStore state, string tenant, string customer, CompiledRuleSet rules, IEnumerable<StoredEvent> events, long version)
    {
        var stored = events.ToList();
        var bound = EventBinding.Bind(rules, stored);
        var writes = new List<OutcomeStateWrite>();
        foreach (var failure in bound.Failures) AddEvent(writes, customer, failure.EventId, failure.Time, OutcomeDetector.Place(rules, failure));

        var groups = new Dictionary<string, (List<GroupMember> Members, List<GroupMember> Reversals, List<GroupMember> Disqualifiers)>(StringComparer.Ordinal);
        foreach (var e in bound.Events)
        {
            var eventRef = EventRef.Of(e.Source, e.Id);
            var placement = OutcomeDetector.Place(rules, e);
            AddEvent(writes, customer, eventRef, e.Time, placement.Detection);
            foreach (var member in placement.Groups)
            {
                var entry = GroupEntry(member.Outcome, member.Key);
                if (!groups.TryGetValue(entry, out var group)) groups[entry] = group = ([], [], []);
                (member.Role switch { GroupRole.Reversal => group.Reversals, GroupRole.Disqualifier => group.Disqualifiers, _ => group.Members })
                    .Add(new GroupMember(new MemberEvent(e.Source, e.Id, e.Time), e));
            }
        }

        var byName = rules.Outcomes.ToDictionary(r => r.Name, StringComparer.Ordinal);
        foreach (var (entry, group) in groups)
        {
            var (outcome, key) = ParseGroupEntry(entry);
            var detected = DetectGroup(state, rules, byName[outcome], tenant, customer, key, group.Members, group.Reversals, group.Disqualifiers) with { Version = version };
            writes.Add(new(customer, entry, GroupEntryCodec.Write(detected, outcome, customer, key), version));
        }
        // The tenant's entries were cleared before the rebuild: all are new.
        state.Put(tenant, writes, []);
    }

    /// <param name="state">Where stored members are read from; null when every member is bound already (none is stored).</param>
    internal static GroupDocument DetectGroup(
        IOutcomeStateStore? state, CompiledRuleSet rules, OutcomeRule rule, string tenant, string customer, string key,
        IEnumerable<GroupMember> members, IEnumerable<GroupMember> reversals, IEnumerable<GroupMember> disqualifiers)
    {
        var memberList = members.ToList();
        var reversalList = reversals.ToList();
        var disqualifierList = disqualifiers.ToList();
        var group = new KeyGroup(rule.Name, customer, key,
            Bound(state, rules, tenant, customer, memberList), Bound(state, rules, tenant, customer, reversalList), Bound(state, rules, tenant, customer, disqualifierList));
        var detection = OutcomeDetector.DetectGroup(rule, group, DateTimeOffset.MaxValue);
        return new GroupDocument([.. memberList.Select(m => m.Stored)], [.. reversalList.Select(m => m.Stored)], [.. detection.Outcomes], [.. detection.Excluded], [.. detection.Errors], Version: 0)
        {
            Disqualifiers = [.. disqualifierList.Select(m => m.Stored)],
        };
    }

    /// <summary>
    /// The group's events bound with the rules, in event order (the order binding sorts into): events of this append
    /// were bound already; the entry references its stored members, which are read from the store and bound again
    /// (they bound with these rules before: a state of other rules is rebuilt, never updated).
    /// </summary>
    private static List<RuleEvent> Bound(IOutcomeStateStore? state, CompiledRuleSet rules, string tenant, string customer, List<GroupMember> members)
    {
        var bound = members.Where(m => m.Bound is not null).Select(m => m.Bound!).ToList();
        if (bound.Count < members.Count)
        {
            var wanted = members.Where(m => m.Bound is null).Select(m => new EventIdentity(m.Stored.Source, m.Stored.Id, m.Stored.Time)).ToList();
            var found = (state ?? throw new InvalidOperationException("a key group with stored members needs the state store")).FindEvents(tenant, customer, wanted);
            if (found.Count != wanted.Count)
            {
                throw new InvalidOperationException($"the outcome state of tenant {tenant}, customer {customer} references {wanted.Count - found.Count} event(s) the store does not hold");
            }
            bound.AddRange(EventBinding.Bind(rules, found).Events);
        }
        bound.Sort(EventOrder.Compare);
        return bound;
    }

    /// <summary>A key group's event as its entry references it, with its binding when this transaction already has it.</summary>
    internal sealed record GroupMember(MemberEvent Stored, RuleEvent? Bound);

    /// <summary>An event's own exclusions, to store; an event without any needs no entry.</summary>
    private static void AddEvent(List<OutcomeStateWrite> writes, string customer, string eventRef, DateTimeOffset time, OutcomeDetection detection)
    {
        if (detection.Excluded.Count == 0 && detection.Errors.Count == 0) return;
        writes.Add(new(customer, EventEntry(eventRef), Serialize(DetectionDocument.Of(detection) with { Time = time }), Version: 0));
    }

    private static OutcomeDetection EntryDetection(string customer, OutcomeStateEntry entry)
    {
        if (!entry.Name.StartsWith('g')) return OutcomeStateJson.Detection(entry.Json);
        var (outcome, key) = ParseGroupEntry(entry.Name);
        return GroupEntryCodec.Detection(entry.Json, outcome, customer, key);
    }

    internal static (string Outcome, string Key) ParseGroupEntry(string entry)
    {
        var second = entry.IndexOf('\u001f', 2);
        return (entry[2..second], entry[(second + 1)..]);
    }

    private sealed class BoundOrder : IComparer<RuleEvent?>
    {
        public static readonly BoundOrder Instance = new();

        public int Compare(RuleEvent? a, RuleEvent? b) => EventOrder.Compare(a!, b!);
    }

    private sealed class FailureOrder : IComparer<BindingFailure?>
    {
        public static readonly FailureOrder Instance = new();

        public int Compare(BindingFailure? a, BindingFailure? b) => EventOrder.Compare(a!.Time, a.EventId, b!.Time, b.EventId);
    }

    private sealed class GroupOrder : IComparer<(string Customer, string Entry)>
    {
        public static readonly GroupOrder Instance = new();

        public int Compare((string Customer, string Entry) a, (string Customer, string Entry) b)
        {
            var c = string.CompareOrdinal(a.Customer, b.Customer);
            return c != 0 ? c : string.CompareOrdinal(a.Entry, b.Entry);
        }
    }
}

/// <summary>A customer's detection read from the outcome state, with the time of each event it excludes or reports an error for.</summary>
internal sealed record StateDetection(OutcomeDetection Detection, IReadOnlyDictionary<string, DateTimeOffset> Times);
