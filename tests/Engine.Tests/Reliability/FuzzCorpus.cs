using System.Text;

namespace RulesBilling.Engine.Tests.Reliability;

/// <summary>
/// Seeds and mutations for the fuzz properties: the real pricing-rules files (found by walking up from the test
/// binaries to the repository), and a seeded mutator that drops spans and inserts tokens that stress a parser.
/// </summary>
internal static class FuzzCorpus
{
    private static readonly Lazy<IReadOnlyList<string>> Rules = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var folder = Path.Combine(dir.FullName, "pricing-rules");
            if (Directory.Exists(folder) && File.Exists(Path.Combine(dir.FullName, "RulesBilling.sln")))
            {
                return Directory.GetFiles(folder, "*.rules").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
            }
        }
        throw new InvalidOperationException("pricing-rules/ not found above " + AppContext.BaseDirectory);
    });

    public static IReadOnlyList<string> RuleFiles => Rules.Value;

    private static readonly string[] DslTokens =
    [
        "{", "}", "(", ")", "[", "]", "\"", "//", "/*", "??", "==", "and", "or", "not", "if", "then", "else", "in", "up to", "rest at",
        "1e999999", "99999999999999999999999999999999", "-", "0.", "USD", "XXX", "%", "7d", "P1M", "\"P-1D\"", "\n", "\t", "\u0000",
        "\uD800", "é", "outcome", "event", "pricing", "contract", "version 0", "effective 9999-12-31", "customers default", ";", ":", ",",
    ];

    /// <summary>Applies 1..8 seeded mutations: remove a short span, or insert a stress token.</summary>
    public static string Mutate(string text, int seed, int mutations, string[]? tokens = null)
    {
        tokens ??= DslTokens;
        var random = new Random(seed);
        var builder = new StringBuilder(text);
        for (var m = 0; m < Math.Clamp(mutations, 1, 8); m++)
        {
            var at = random.Next(builder.Length + 1);
            if (random.Next(2) == 0 && at < builder.Length) builder.Remove(at, 1 + random.Next(Math.Min(12, builder.Length - at)));
            else builder.Insert(at, tokens[random.Next(tokens.Length)]);
        }
        return builder.ToString();
    }
}
