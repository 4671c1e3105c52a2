namespace RulesBilling.Engine.Outcomes;

/// <summary>
/// One instance per distinct string (and per distinct set of dimensions) while a customer's outcome state is decoded:
/// outcome names, sources, reasons, failed-condition details and dimension values repeat across a customer's
/// 100,000 entries, and the detection, the activity and the invoice built from it hold them all at once. Decoding
/// allocates each string once more and drops it when an equal one is pooled; only the pooled one is kept.
/// </summary>
internal sealed class SharedStrings
{
    private static readonly IReadOnlyDictionary<string, string?> NoDimensions = new SortedDictionary<string, string?>(StringComparer.Ordinal);

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyDictionary<string, string?>> _dimensions = new(StringComparer.Ordinal);

    public string Get(string value)
    {
        if (_strings.TryGetValue(value, out var pooled)) return pooled;
        _strings[value] = value;
        return value;
    }

    public string? GetOrNull(string? value) => value is null ? null : Get(value);

    /// <summary>
    /// One dictionary for equal dimension sets (ordinal-sorted, as the detector makes them). Shared between outcomes,
    /// which is safe because an outcome's dimensions are read-only to every consumer.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Dimensions(SortedDictionary<string, string?> dimensions)
    {
        if (dimensions.Count == 0) return NoDimensions;
        var key = Key(dimensions);
        if (_dimensions.TryGetValue(key, out var pooled)) return pooled;
        var shared = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in dimensions) shared[Get(name)] = GetOrNull(value);
        _dimensions[key] = shared;
        return shared;
    }

    /// <summary>
    /// Each name and value as its length, ':' and its text (a null value as '-'): an event field can hold any character,
    /// so a separator character could make two different sets share a key and one outcome take another's dimensions.
    /// </summary>
    private static string Key(SortedDictionary<string, string?> dimensions)
    {
        var key = new System.Text.StringBuilder();
        foreach (var (name, value) in dimensions)
        {
            key.Append(name.Length).Append(':').Append(name);
            if (value is null) key.Append('-');
            else key.Append(value.Length).Append(':').Append(value);
        }
        return key.ToString();
    }
}
