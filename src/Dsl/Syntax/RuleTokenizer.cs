using System.Globalization;
using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Text;
using SuperSpan = Superpower.Model.TextSpan;
using Superpower.Model;
using Superpower;
using TextSpan = RulesBilling.Dsl.Text.TextSpan;

namespace RulesBilling.Dsl.Syntax;

/// <summary>
/// Hand-written tokenizer for docs/dsl-spec.md §1. Literal values are validated here (number range, date,
/// escapes) so the parser's conversions cannot fail. Tokenizing stops at the first lexical error, which is
/// reported as a diagnostic with its own code (RB0001, RB0003, RB0004, RB0005).
/// </summary>
internal sealed class RuleTokenizer : Tokenizer<RuleToken>
{
    private readonly SourceText _source;
    private Diagnostic? _error;

    private RuleTokenizer(SourceText source) => _source = source;

    /// <summary>The tokens of <paramref name="source"/>, or the lexical error that stopped tokenizing.</summary>
    public static (TokenList<RuleToken> Tokens, Diagnostic? Error) Lex(SourceText source)
    {
        // One instance per call: the instance only carries the error of this run.
        var tokenizer = new RuleTokenizer(source);
        var result = tokenizer.TryTokenize(source.Text);
        if (result.HasValue) return (result.Value, null);
        var error = tokenizer._error ?? new Diagnostic(source, new TextSpan(0, 0), DiagnosticSeverity.Error, DiagnosticCatalogue.UnexpectedCharacter.Code, result.FormatErrorMessageFragment());
        return (new TokenList<RuleToken>([]), error);
    }

    protected override IEnumerable<Result<RuleToken>> Tokenize(SuperSpan span)
    {
        var text = span.Source!;
        var next = SkipWhiteSpace(span);
        while (next.HasValue)
        {
            var location = next.Location;
            var start = location.Position.Absolute;
            if (next.Value == '/' && start + 1 < text.Length && text[start + 1] == '/')
            {
                next = SkipWhiteSpace(Advance(location, LineEnd(text, start) - start));
                continue;
            }

            var lexeme = Scan(text, start);
            if (lexeme.ErrorCode is not null)
            {
                _error = new Diagnostic(_source, new TextSpan(lexeme.ErrorStart, lexeme.End), DiagnosticSeverity.Error, lexeme.ErrorCode, lexeme.Message!);
                yield return Result.Empty<RuleToken>(location, lexeme.Message!);
                yield break;
            }

            var remainder = Advance(location, lexeme.End - start);
            yield return Result.Value(lexeme.Kind, location, remainder);
            next = SkipWhiteSpace(remainder);
        }
    }

    private readonly record struct Lexeme(RuleToken Kind, int End, string? ErrorCode = null, string? Message = null, int ErrorStart = 0)
    {
        public static Lexeme Error(string code, int start, int end, string message) => new(RuleToken.None, end, code, message, start);
    }

    private static Lexeme Scan(string text, int i)
    {
        var c = text[i];
        if (IsIdentifierStart(c)) return ScanWord(text, i);
        if (c == '`') return ScanQuotedName(text, i);
        if (char.IsAsciiDigit(c)) return ScanNumeric(text, i);
        if (c == '"') return ScriptBlocks.StartsAt(text, i) ? ScanScriptBlock(text, i) : ScanString(text, i);

        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        return c switch
        {
            '{' => new(RuleToken.LBrace, i + 1),
            '}' => new(RuleToken.RBrace, i + 1),
            '(' => new(RuleToken.LParen, i + 1),
            ')' => new(RuleToken.RParen, i + 1),
            '[' => new(RuleToken.LBracket, i + 1),
            ']' => new(RuleToken.RBracket, i + 1),
            ',' => new(RuleToken.Comma, i + 1),
            ':' => new(RuleToken.Colon, i + 1),
            '.' => new(RuleToken.Dot, i + 1),
            ';' => new(RuleToken.Semicolon, i + 1),
            '+' => new(RuleToken.Plus, i + 1),
            '-' => new(RuleToken.Minus, i + 1),
            '*' => new(RuleToken.Star, i + 1),
            '/' => new(RuleToken.Slash, i + 1),
            '?' when next == '?' => new(RuleToken.QuestionQuestion, i + 2),
            '?' => new(RuleToken.Question, i + 1),
            '<' when next == '=' => new(RuleToken.LessEqual, i + 2),
            '<' => new(RuleToken.Less, i + 1),
            '>' when next == '=' => new(RuleToken.GreaterEqual, i + 2),
            '>' => new(RuleToken.Greater, i + 1),
            '=' when next == '=' => new(RuleToken.EqualEqual, i + 2),
            '!' when next == '=' => new(RuleToken.BangEqual, i + 2),
            '=' => Lexeme.Error(DiagnosticCatalogue.UnexpectedCharacter.Code, i, i + 1, "unexpected character `=`, expected `==`"),
            '!' => Lexeme.Error(DiagnosticCatalogue.UnexpectedCharacter.Code, i, i + 1, "unexpected character `!`, expected `!=` or `not`"),
            _ => UnexpectedCharacter(text, i),
        };
    }

    private static Lexeme UnexpectedCharacter(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            return Lexeme.Error(DiagnosticCatalogue.UnexpectedCharacter.Code, i, i + 2, $"unexpected character U+{char.ConvertToUtf32(c, text[i + 1]):X4}");
        }

        var shown = char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c)
            ? $"U+{(int)c:X4}"
            : $"`{c}`";
        return Lexeme.Error(DiagnosticCatalogue.UnexpectedCharacter.Code, i, i + 1, $"unexpected character {shown}");
    }

    private static Lexeme ScanWord(string text, int i)
    {
        var end = i + 1;
        while (end < text.Length && IsIdentifierPart(text[end])) end++;
        var word = text.AsSpan(i, end - i);
        if (Keywords.TryGet(word.ToString(), out var keyword)) return new(keyword, end);
        if (word.Length == 3 && char.IsAsciiLetterUpper(word[0]) && char.IsAsciiLetterUpper(word[1]) && char.IsAsciiLetterUpper(word[2]))
        {
            return new(RuleToken.Currency, end);
        }

        return new(RuleToken.Identifier, end);
    }

    /// <summary>
    /// <c>`amount`</c>: an identifier even when the word inside is a keyword, so a schema field may be called
    /// <c>amount</c> or <c>key</c> (docs/dsl-spec.md §1.1). The word inside follows the identifier rule.
    /// </summary>
    private static Lexeme ScanQuotedName(string text, int i)
    {
        var end = i + 1;
        while (end < text.Length && IsIdentifierPart(text[end])) end++;
        if (end > i + 1 && IsIdentifierStart(text[i + 1]) && end < text.Length && text[end] == '`') return new(RuleToken.Identifier, end + 1);

        var stop = end;
        while (stop < text.Length && text[stop] is not ('`' or '\n' or '\r')) stop++;
        var shown = stop < text.Length && text[stop] == '`' ? text[i..(stop + 1)] : text[i..stop];
        return Lexeme.Error(QuotedNameCode, i, Math.Max(i + 1, stop < text.Length && text[stop] == '`' ? stop + 1 : stop),
            $"bad quoted name {Clip(shown)}; a quoted name is a letter or _ followed by letters, digits or _, between backticks, as in `amount`");
    }

    /// <summary>A malformed quoted name (unclosed, empty, or with characters an identifier cannot have).</summary>
    public static readonly string QuotedNameCode = DiagnosticCatalogue.BadQuotedName.Code;

    private static Lexeme ScanNumeric(string text, int i)
    {
        if (LooksLikeDate(text, i))
        {
            var end = i + 10;
            return DateOnly.TryParseExact(text.AsSpan(i, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? new(RuleToken.Date, end)
                : Lexeme.Error(DiagnosticCatalogue.InvalidLiteral.Code, i, end, $"invalid date `{text[i..end]}`");
        }

        var j = ScanDigits(text, i);
        if (j + 1 < text.Length && text[j] == '.' && char.IsAsciiDigit(text[j + 1])) j = ScanDigits(text, j + 1);

        if (!TokenText.IsRepresentable(text.AsSpan(i, j - i)))
        {
            return Lexeme.Error(DiagnosticCatalogue.NumberTooLarge.Code, i, j, $"number `{Clip(text[i..j])}` is too large or too precise for a decimal");
        }

        if (j < text.Length && text[j] == '%') return new(RuleToken.Percent, j + 1);
        if (j < text.Length && text[j] is 'd' or 'h' or 'm' or 's' && (j + 1 == text.Length || !IsIdentifierPart(text[j + 1])))
        {
            // A duration becomes a TimeSpan: refuse here what would overflow it later, in the binder.
            var amount = TokenText.Number(text.AsSpan(i, j - i));
            var ticksPerUnit = text[j] switch { 'd' => TimeSpan.TicksPerDay, 'h' => TimeSpan.TicksPerHour, 'm' => TimeSpan.TicksPerMinute, _ => TimeSpan.TicksPerSecond };
            if (amount > (decimal)TimeSpan.MaxValue.Ticks / ticksPerUnit)
            {
                return Lexeme.Error(DiagnosticCatalogue.NumberTooLarge.Code, i, j + 1, $"duration `{Clip(text[i..(j + 1)])}` is too long; a duration is at most {TimeSpan.MaxValue.Days} days");
            }
            return new(RuleToken.Duration, j + 1);
        }

        if (j < text.Length && IsIdentifierPart(text[j]))
        {
            var end = j;
            while (end < text.Length && IsIdentifierPart(text[end])) end++;
            return Lexeme.Error(DiagnosticCatalogue.InvalidLiteral.Code, i, end,
                $"invalid literal `{Clip(text[i..end])}` (durations use d, h, m or s; money needs a space, as in `499 USD`)");
        }

        return new(RuleToken.Number, j);
    }

    /// <summary>Digits with single <c>_</c> separators between them.</summary>
    private static int ScanDigits(string text, int i)
    {
        var j = i;
        while (j < text.Length && (char.IsAsciiDigit(text[j]) || (text[j] == '_' && j + 1 < text.Length && char.IsAsciiDigit(text[j + 1]) && j > i)))
        {
            j++;
        }

        return j;
    }

    private static bool LooksLikeDate(string text, int i) =>
        i + 10 <= text.Length
        && char.IsAsciiDigit(text[i]) && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && char.IsAsciiDigit(text[i + 3])
        && text[i + 4] == '-' && char.IsAsciiDigit(text[i + 5]) && char.IsAsciiDigit(text[i + 6])
        && text[i + 7] == '-' && char.IsAsciiDigit(text[i + 8]) && char.IsAsciiDigit(text[i + 9])
        && (i + 10 == text.Length || !IsIdentifierPart(text[i + 10]));

    private static Lexeme ScanString(string text, int i)
    {
        var j = i + 1;
        while (true)
        {
            if (j >= text.Length || text[j] is '\n' or '\r') return Lexeme.Error(DiagnosticCatalogue.UnterminatedString.Code, i, j, "unterminated string");
            var c = text[j];
            if (c == '"') return new(RuleToken.String, j + 1);
            if (c == '\\')
            {
                if (j + 1 >= text.Length || text[j + 1] is '\n' or '\r') return Lexeme.Error(DiagnosticCatalogue.UnterminatedString.Code, i, j + 1, "unterminated string");
                if (text[j + 1] is not ('"' or '\\' or 'n' or 't'))
                {
                    return Lexeme.Error(DiagnosticCatalogue.InvalidLiteral.Code, j, j + 2, $"invalid escape sequence `\\{text[j + 1]}` (use \\\", \\\\, \\n or \\t)");
                }

                j += 2;
                continue;
            }

            j++;
        }
    }

    /// <summary>A C# script block fenced by a run of three or more quotes and closed by the same run (docs/dsl-spec.md §16).</summary>
    private static Lexeme ScanScriptBlock(string text, int i)
    {
        var end = ScriptBlocks.End(text, i);
        return end < 0
            ? Lexeme.Error(DiagnosticCatalogue.UnterminatedString.Code, i, i + ScriptBlocks.FenceLength(text, i), "unterminated script block; close it with the same number of quotes that opened it")
            : new(RuleToken.ScriptBlock, end);
    }

    private static int LineEnd(string text, int i)
    {
        var end = text.IndexOf('\n', i);
        return end < 0 ? text.Length : end;
    }

    private static SuperSpan Advance(SuperSpan span, int count)
    {
        for (var k = 0; k < count; k++) span = span.ConsumeChar().Remainder;
        return span;
    }

    private static string Clip(string text) => text.Length <= 32 ? text : text[..29] + "...";

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
