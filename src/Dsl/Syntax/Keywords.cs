using System.Reflection;
using Superpower.Display;

namespace RulesBilling.Dsl.Syntax;

/// <summary>The reserved words, read from the <see cref="RuleToken"/> attributes so the enum is the single list.</summary>
internal static class Keywords
{
    private static readonly Dictionary<string, RuleToken> BySpelling = typeof(RuleToken)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (Kind: (RuleToken)field.GetValue(null)!, Attribute: field.GetCustomAttribute<TokenAttribute>()))
        .Where(entry => entry.Attribute is { Category: "keyword", Example: not null })
        .ToDictionary(entry => entry.Attribute!.Example!, entry => entry.Kind, StringComparer.Ordinal);

    private static readonly HashSet<RuleToken> Kinds = [.. BySpelling.Values];

    public static bool TryGet(string word, out RuleToken kind) => BySpelling.TryGetValue(word, out kind);

    public static bool IsKeyword(RuleToken kind) => Kinds.Contains(kind);

    public static IEnumerable<string> All => BySpelling.Keys;
}
