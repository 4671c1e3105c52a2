using System.Text;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Syntax;

/// <summary>
/// Stage baseline: the token stream of Cases/tokens.rules, one token per line (<c>line:col Kind `text`</c>),
/// compared with the checked-in Cases/tokens.tokens.txt.
/// </summary>
public class TokenBaselineTests
{
    private static string Case(string name) => Path.Combine(AppContext.BaseDirectory, "Syntax", "Cases", name);

    internal static string Render(SourceText source)
    {
        var (tokens, error) = RuleTokenizer.Lex(source);
        var sb = new StringBuilder();
        foreach (var token in tokens)
        {
            sb.Append(token.Position.Line).Append(':').Append(token.Position.Column).Append(' ')
                .Append(token.Kind).Append(" `").Append(token.ToStringValue()).Append("`\n");
        }

        if (error is not null) sb.Append(error.Headline).Append('\n');
        return sb.ToString();
    }

    [Fact]
    public void Tokens_match_the_baseline()
    {
        var actual = Render(SourceText.FromFile(Case("tokens.rules")));
        var expected = File.ReadAllText(Case("tokens.tokens.txt")).ReplaceLineEndings("\n");

        Assert.Equal(expected, actual);
    }
}
