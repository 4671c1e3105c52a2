namespace RulesBilling.Engine.Entitlements;

/// <summary>
/// What the view raised for one customer, kept only while it matters. The outbox already refuses a notification id
/// it has seen, so this is an optimisation that spares the store a look-up per fact per pass; it must not grow with
/// history. A fact that time can still change is remembered until it settles (an outcome's validation window closes,
/// a threshold's window resets). <see cref="SettledThrough"/> is the start of the last pass that published everything:
/// what settled before it was raised by then, so the next pass forgets it and skips it. Facts with no end in time
/// (a credit state) are remembered as the latest id of their scope, replaced when the grants change. A new rule set
/// may detect other outcomes, so it starts over (the outbox deduplicates what was raised before).
/// </summary>
internal sealed class RaisedNotifications
{
    private readonly Dictionary<string, DateTimeOffset> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _latest = new(StringComparer.Ordinal);
    private string? _rulesHash;

    public DateTimeOffset SettledThrough { get; private set; } = DateTimeOffset.MinValue;

    public int Count => _open.Count + _latest.Count;

    public void Follow(string rulesHash)
    {
        if (_rulesHash == rulesHash) return;
        _rulesHash = rulesHash;
        _open.Clear();
        _latest.Clear();
        SettledThrough = DateTimeOffset.MinValue;
    }

    public bool Contains(string id, string? scope) =>
        scope is null ? _open.ContainsKey(id) : _latest.TryGetValue(scope, out var latest) && latest == id;

    public void Remember(string id, DateTimeOffset? settlesAt, string? scope)
    {
        if (scope is not null) _latest[scope] = id;
        else _open[id] = settlesAt ?? DateTimeOffset.MaxValue;
    }

    /// <summary>Everything due at <paramref name="passStart"/> was published: forget what settled by then.</summary>
    public void PassCompleted(DateTimeOffset passStart)
    {
        SettledThrough = passStart;
        foreach (var id in _open.Where(e => e.Value <= passStart).Select(e => e.Key).ToList()) _open.Remove(id);
    }
}
