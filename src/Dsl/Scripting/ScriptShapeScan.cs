namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// A cheap lexical pre-scan of a script's code, run before Roslyn sees the text. Roslyn's parser and binder recurse
/// over the syntax tree: 20,000 nested parentheses exhaust the stack and a 50,000-term expression takes minutes to
/// bind. The scan bounds what makes trees deep or wide — the length of the code, the nesting of brackets (and
/// interpolation holes), and the tokens in one statement (operator chains, else-if chains, curried lambdas) — so the
/// compiler only ever sees shapes it handles quickly. It never recurses and never allocates per character.
/// </summary>
internal static class ScriptShapeScan
{
    public const int MaxLength = 65_536;
    public const int MaxNesting = 64;
    public const int MaxStatementTokens = 2_000;

    private enum Frame : byte { Paren, Bracket, Brace, Hole }

    /// <summary>How a string literal ends and how its interpolation holes open.</summary>
    private readonly record struct StringKind(bool Verbatim, int Quotes, int Dollars);

    public static ScriptProblem? Check(string code)
    {
        if (code.Length > MaxLength)
        {
            return Problem(MaxLength, $"the script is too long ({code.Length} characters; at most {MaxLength}): move logic into the rules or split it");
        }
        var frames = new Stack<(Frame Frame, StringKind Kind)>();
        // Tokens of the current statement, per open bracket: a ';' ends a statement only at its own level, a closed
        // block counts as one token of the statement around it, and a closed parenthesis, bracket or hole adds all of
        // its tokens — so nothing inside an expression (a lambda body, say) restarts the count of a long expression.
        var outer = new Stack<int>();
        var tokens = 0;
        var i = 0;
        while (i < code.Length)
        {
            var c = code[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '/' && At(code, i + 1) == '/')
            {
                while (i < code.Length && code[i] != '\n') i++;
                continue;
            }
            if (c == '/' && At(code, i + 1) == '*')
            {
                var end = code.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? code.Length : end + 2;
                continue;
            }
            if (++tokens > MaxStatementTokens)
            {
                return Problem(i, $"this statement is too long (more than {MaxStatementTokens} tokens): split it into several statements");
            }
            switch (c)
            {
                case ';':
                    tokens = 0;
                    i++;
                    continue;
                case '(' or '[' or '{':
                    if (frames.Count >= MaxNesting)
                        return Problem(i, $"the script is nested too deeply (more than {MaxNesting} levels of brackets)");
                    frames.Push((c switch { '(' => Frame.Paren, '[' => Frame.Bracket, _ => Frame.Brace }, default));
                    outer.Push(tokens);
                    tokens = 0;
                    i++;
                    continue;
                case ')' or ']' or '}':
                    i++;
                    if (frames.Count == 0) continue; // unbalanced: Roslyn reports it
                    var (frame, kind) = frames.Pop();
                    tokens = outer.Pop() + (frame == Frame.Brace ? 1 : tokens);
                    if (frame != Frame.Hole) continue;
                    // The hole closed: the interpolated string goes on.
                    var depth = frames.Count;
                    var resumed = SkipString(code, i, kind, frames, out var holeProblem);
                    if (holeProblem is not null) return holeProblem;
                    if (frames.Count > depth) { outer.Push(tokens); tokens = 0; } // another hole of the same string
                    i = resumed ?? code.Length;
                    continue;
                case '\'':
                    i = SkipCharLiteral(code, i);
                    continue;
            }
            if (StringStart(code, i) is { } start)
            {
                var before = frames.Count;
                var next = SkipString(code, start.Body, start.Kind, frames, out var problem);
                if (problem is not null) return problem;
                if (frames.Count > before) { outer.Push(tokens); tokens = 0; } // a hole opened
                i = next ?? code.Length;
                continue;
            }
            // An identifier, keyword or number is one token; so is each other punctuation character.
            if (char.IsLetterOrDigit(c) || c is '_' or '@')
            {
                i++;
                while (i < code.Length && (char.IsLetterOrDigit(code[i]) || code[i] == '_' || (code[i] == '.' && char.IsDigit(At(code, i + 1))))) i++;
                continue;
            }
            i++;
        }
        return null;
    }

    private static ScriptProblem Problem(int at, string message) => new(at, at, ScriptCodes.TooComplex, message);

    private static char At(string code, int i) => i < code.Length ? code[i] : '\0';

    /// <summary>A string literal starting at <paramref name="i"/> (prefixes <c>$</c>, <c>@</c>, raw quotes): where its body starts.</summary>
    private static (int Body, StringKind Kind)? StringStart(string code, int i)
    {
        var p = i;
        var dollars = 0;
        var verbatim = false;
        while (p < code.Length && (code[p] == '$' || code[p] == '@'))
        {
            if (code[p] == '$') dollars++; else verbatim = true;
            p++;
        }
        if (At(code, p) != '"') return null;
        var quotes = 0;
        while (At(code, p + quotes) == '"') quotes++;
        // "" is an empty regular string; three or more quotes open a raw string.
        if (quotes == 2) return (p + 1, new StringKind(verbatim, 1, dollars));
        if (quotes < 3) quotes = 1;
        return (p + quotes, new StringKind(verbatim, quotes, dollars));
    }

    /// <summary>
    /// Skips a string body from <paramref name="i"/>: returns the index after its closing quote, or — when an
    /// interpolation hole opens — pushes a hole frame and returns the index of the hole's code.
    /// </summary>
    private static int? SkipString(string code, int i, StringKind kind, Stack<(Frame Frame, StringKind Kind)> frames, out ScriptProblem? problem)
    {
        problem = null;
        var raw = kind.Quotes >= 3;
        while (i < code.Length)
        {
            var c = code[i];
            if (c == '\\' && !kind.Verbatim && !raw) { i += 2; continue; }
            if (c == '"')
            {
                if (raw)
                {
                    var run = 0;
                    while (At(code, i + run) == '"') run++;
                    if (run >= kind.Quotes) return i + run;
                    i += run;
                    continue;
                }
                if (kind.Verbatim && At(code, i + 1) == '"') { i += 2; continue; }
                return i + 1;
            }
            if (c == '\n' && !kind.Verbatim && !raw) return i; // unterminated: Roslyn reports it
            if (c == '{' && kind.Dollars > 0)
            {
                var run = 0;
                while (At(code, i + run) == '{') run++;
                var needed = raw ? kind.Dollars : 1;
                if (!raw && run >= 2) { i += 2; continue; } // {{ is a literal brace
                if (run >= needed)
                {
                    if (frames.Count >= MaxNesting)
                    {
                        problem = Problem(i, $"the script is nested too deeply (more than {MaxNesting} levels of brackets)");
                        return null;
                    }
                    frames.Push((Frame.Hole, kind));
                    return i + run;
                }
                i += run;
                continue;
            }
            i++;
        }
        return code.Length;
    }

    private static int SkipCharLiteral(string code, int i)
    {
        var p = i + 1;
        while (p < code.Length && code[p] != '\'' && code[p] != '\n')
        {
            p += code[p] == '\\' ? 2 : 1;
        }
        return Math.Min(p + 1, code.Length);
    }
}
