using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Text;
using Superpower.Model;

namespace RulesBilling.Dsl.Syntax;

/// <summary>
/// A keyword written where a name belongs — a field declared <c>amount: money USD</c>, a dimension <c>key: …</c>, or a
/// field read <c>when amount &gt; 0</c> — is the commonest syntax error of a schema copied from elsewhere. It gets
/// RB0111 with the quoted spelling (docs/dsl-spec.md §1.1) instead of a bare "unexpected keyword".
/// </summary>
internal static class KeywordAsName
{
    public static readonly string Code = DiagnosticCatalogue.KeywordAsName.Code;

    public static Diagnostic? Diagnose(SourceText source, Token<RuleToken> unexpected, TokenList<RuleToken> after, string message)
    {
        if (!Keywords.IsKeyword(unexpected.Kind)) return null;
        var word = unexpected.ToStringValue();
        var following = after.ConsumeToken();
        var declaresName = following.HasValue && following.Value.Kind == RuleToken.Colon
            && (message.Contains("expected field", StringComparison.Ordinal) || message.Contains("expected identifier", StringComparison.Ordinal));
        if (declaresName)
        {
            return new Diagnostic(source, unexpected.ToSpan(), DiagnosticSeverity.Error, Code,
                $"'{word}' is a keyword, so it cannot be a name as written; quote it as `{word}` (the event still carries it as \"{word}\")");
        }

        if (message.Contains("expected expression", StringComparison.Ordinal))
        {
            return new Diagnostic(source, unexpected.ToSpan(), DiagnosticSeverity.Error, Code,
                $"'{word}' is a keyword, not a value; to read a field named '{word}', quote it as `{word}`");
        }

        return null;
    }
}
