using RulesBilling.Dsl.Model;
using static RulesBilling.Engine.Outcomes.OutcomeStateJson;
using static RulesBilling.Engine.Outcomes.StoredOutcomes;

namespace RulesBilling.Engine.Outcomes;

/// <summary>
/// The key groups of an append's arrivals, detected and encoded as if each were new and all its arrivals accepted:
/// the common case (a key seen for the first time), computed before the store's writer is taken. Under the writer,
/// <see cref="StoredOutcomes.Apply(IStoreSession, string, CompiledRuleSet, IReadOnlyList{OutcomeArrival}, PreparedGroups?)"/>
/// uses a prepared entry only for a group that has no stored entry and the same number of accepted arrivals (the
/// accepted ones are a subset of those prepared, so the same number means the same events); it adds the change
/// version and detects every other group itself.
/// </summary>
internal sealed class PreparedGroups
{
    private readonly Dictionary<(string Customer, string Entry), (int Arrivals, string Body)> _groups;

    private PreparedGroups(Dictionary<(string Customer, string Entry), (int Arrivals, string Body)> groups) => _groups = groups;

    public static PreparedGroups Of(CompiledRuleSet rules, string tenant, IReadOnlyList<OutcomeArrival> arrivals)
    {
        var byName = rules.Outcomes.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var groups = new Dictionary<(string Customer, string Entry), (int Arrivals, string Body)>();
        foreach (var ((customer, entry), joined) in Join(arrivals))
        {
            var (outcome, key) = ParseGroupEntry(entry);
            Dictionary<string, GroupMember> members = [], reversals = [], disqualifiers = [];
            foreach (var (a, role) in joined)
            {
                var list = role switch { GroupRole.Reversal => reversals, GroupRole.Disqualifier => disqualifiers, _ => members };
                list[EventRef.Of(a.Stored.Source, a.Stored.Id)] = new GroupMember(MemberEvent.Of(a.Stored), a.Bound);
            }
            // Every member is an arrival, bound already: nothing is read from a store.
            var detected = DetectGroup(null, rules, byName[outcome], tenant, customer, key, members.Values, reversals.Values, disqualifiers.Values);
            groups[(customer, entry)] = (joined.Count, GroupEntryCodec.Body(detected, outcome, customer, key));
        }
        return new PreparedGroups(groups);
    }

    /// <summary>The prepared entry without its version, when the group was prepared with exactly <paramref name="arrivals"/> arrivals.</summary>
    public string? Body(string customer, string entry, int arrivals) =>
        _groups.TryGetValue((customer, entry), out var prepared) && prepared.Arrivals == arrivals ? prepared.Body : null;
}
