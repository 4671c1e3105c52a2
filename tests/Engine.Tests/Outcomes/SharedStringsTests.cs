using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Tests.Outcomes;

/// <summary>The string pool of outcome-state reads shares only what is equal.</summary>
public sealed class SharedStringsTests
{
    private static SortedDictionary<string, string?> Set(params (string Name, string? Value)[] dimensions)
    {
        var set = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in dimensions) set[name] = value;
        return set;
    }

    [Fact]
    public void Dimension_values_holding_separator_characters_never_share_another_sets_dictionary()
    {
        var pool = new SharedStrings();
        // Under a key joined with U+001F these two sets had the same key, so the second outcome read the first's dimensions.
        var one = pool.Dimensions(Set(("a", "x\u001fb\u001fvy")));
        var two = pool.Dimensions(Set(("a", "x"), ("b", "y")));

        Assert.Equal("x\u001fb\u001fvy", Assert.Single(one).Value);
        Assert.Equal([("a", "x"), ("b", "y")], two.Select(d => (d.Key, d.Value)));
    }

    [Fact]
    public void Equal_sets_share_one_dictionary_and_a_null_value_differs_from_an_empty_one()
    {
        var pool = new SharedStrings();
        var first = pool.Dimensions(Set(("tier", "gold"), ("region", null)));
        var again = pool.Dimensions(Set(("region", null), ("tier", "gold")));
        var empty = pool.Dimensions(Set(("tier", "gold"), ("region", "")));

        Assert.Same(first, again);
        Assert.NotSame(first, empty);
        Assert.Null(first["region"]);
        Assert.Equal("", empty["region"]);
    }
}
