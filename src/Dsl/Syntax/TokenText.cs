using System.Globalization;
using System.Text;
using Superpower.Model;
using TextSpan = RulesBilling.Dsl.Text.TextSpan;

namespace RulesBilling.Dsl.Syntax;

/// <summary>Converts token text to spans and literal values. The tokenizer has validated every literal already.</summary>
internal static class TokenText
{
    public static TextSpan ToSpan(this Token<RuleToken> token)
    {
        var start = token.Span.Position.Absolute;
        return new TextSpan(start, start + token.Span.Length);
    }

    /// <summary>The name an identifier token stands for: a quoted name (<c>`amount`</c>) without its backticks.</summary>
    public static string NameText(this Token<RuleToken> token)
    {
        var text = token.ToStringValue();
        return text.Length > 2 && text[0] == '`' ? text[1..^1] : text;
    }

    public static TextSpan Cover(Token<RuleToken> first, TextSpan last) => new(first.Span.Position.Absolute, last.End);

    public static TextSpan Cover(Token<RuleToken> first, Token<RuleToken> last) => Cover(first, last.ToSpan());

    public static TextSpan Cover(TextSpan first, TextSpan last) => new(first.Start, last.End);

    /// <summary>A number as written, keeping its scale (<c>2.50</c> stays 2.50); <c>_</c> separators are dropped.</summary>
    public static decimal Number(ReadOnlySpan<char> text) =>
        decimal.Parse(WithoutSeparators(text), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>
    /// True when the digits fit a decimal exactly. decimal.Parse silently rounds digits beyond its precision,
    /// which would change a price, so such literals are rejected instead.
    /// </summary>
    public static bool IsRepresentable(ReadOnlySpan<char> text)
    {
        var digits = WithoutSeparators(text);
        if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return false;
        var written = digits.AsSpan();
        while (written.Length > 1 && written[0] == '0' && written[1] != '.') written = written[1..];
        return written.SequenceEqual(value.ToString(CultureInfo.InvariantCulture));
    }

    public static string Unescape(ReadOnlySpan<char> quoted)
    {
        var body = quoted[1..^1];
        if (body.IndexOf('\\') < 0) return body.ToString();
        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\')
            {
                sb.Append(body[i]);
                continue;
            }

            i++;
            sb.Append(body[i] switch { 'n' => '\n', 't' => '\t', var other => other });
        }

        return sb.ToString();
    }

    private static string WithoutSeparators(ReadOnlySpan<char> text) =>
        text.IndexOf('_') < 0 ? text.ToString() : text.ToString().Replace("_", "", StringComparison.Ordinal);
}
