using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Text;
using Superpower;
using Superpower.Model;
using TextSpan = RulesBilling.Dsl.Text.TextSpan;

namespace RulesBilling.Dsl.Syntax;

/// <summary>
/// Entry points of the front end: source text → tokens → syntax tree, with diagnostics instead of exceptions.
/// </summary>
internal static class RuleParser
{
    private static readonly TokenListParser<RuleToken, Expr> StandaloneExpression = ExpressionGrammar.Expression.AtEnd();

    /// <summary>
    /// Parses a rule file. After a syntax error parsing resumes at the next declaration keyword that starts a
    /// line, so one run reports an error per broken declaration. A lexical error stops everything (empty file).
    /// </summary>
    public static ParseResult Parse(SourceText source)
    {
        var (tokens, lexicalError) = RuleTokenizer.Lex(source);
        if (lexicalError is not null) return new ParseResult(new RuleFile(NodeList<Declaration>.Empty), [lexicalError]);

        var declarations = new List<Declaration>();
        var diagnostics = new List<Diagnostic>();
        var remainder = tokens;
        while (!remainder.IsAtEnd)
        {
            var result = DeclarationGrammar.Declaration(remainder);
            if (result.HasValue)
            {
                declarations.Add(result.Value);
                remainder = result.Remainder;
                continue;
            }

            diagnostics.Add(SyntaxError(source, tokens, result.Remainder, result.FormatErrorMessageFragment()));
            remainder = SkipToNextDeclaration(source, remainder, result.Remainder.Position);
        }

        return new ParseResult(new RuleFile(NodeList.From(declarations)), diagnostics);
    }

    public static ExpressionParseResult ParseExpression(SourceText source)
    {
        var (tokens, lexicalError) = RuleTokenizer.Lex(source);
        if (lexicalError is not null) return new ExpressionParseResult(null, [lexicalError]);

        var result = StandaloneExpression(tokens);
        return result.HasValue
            ? new ExpressionParseResult(result.Value, [])
            : new ExpressionParseResult(null, [SyntaxError(source, tokens, result.Remainder, result.FormatErrorMessageFragment())]);
    }

    /// <summary>RB0002 at the unexpected token, or just after the last token when the input ended too early.</summary>
    private static Diagnostic SyntaxError(SourceText source, TokenList<RuleToken> all, TokenList<RuleToken> at, string message)
    {
        var next = at.ConsumeToken();
        TextSpan span;
        if (next.HasValue)
        {
            span = next.Value.ToSpan();
        }
        else
        {
            var end = all.LastOrDefault() is { HasValue: true } last ? last.ToSpan().End : 0;
            span = new TextSpan(end, end);
        }

        if (next.HasValue && KeywordAsName.Diagnose(source, next.Value, next.Remainder, message) is { } keywordName) return keywordName;
        if (next.HasValue) message += ChargeModelGrammar.Suggestion(next.Value, message);
        return new Diagnostic(source, span, DiagnosticSeverity.Error, DiagnosticCatalogue.SyntaxError.Code, message);
    }

    /// <summary>
    /// Skips the failed declaration: moves past the error position to the next declaration keyword that is the
    /// first token on its line (always at least one token, so parsing progresses).
    /// </summary>
    private static TokenList<RuleToken> SkipToNextDeclaration(SourceText source, TokenList<RuleToken> start, int errorPosition)
    {
        var cursor = start.ConsumeToken().Remainder;
        while (!cursor.IsAtEnd)
        {
            var token = cursor.ConsumeToken();
            if (cursor.Position >= errorPosition && (DeclarationGrammar.StartsDeclaration(token.Value.Kind) || FeatureGrammar.StartsFeature(token.Value) || AdjustmentGrammar.StartsAdjustment(token.Value)) && StartsLine(source.Text, token.Value.Position.Absolute))
            {
                break;
            }

            cursor = token.Remainder;
        }

        return cursor;
    }

    private static bool StartsLine(string text, int position)
    {
        var p = position - 1;
        while (p >= 0 && text[p] is ' ' or '\t' or '\r') p--;
        return p < 0 || text[p] == '\n';
    }
}
