using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using static RulesBilling.Dsl.Syntax.TokenText;
using TextSpan = RulesBilling.Dsl.Text.TextSpan;

namespace RulesBilling.Dsl.Syntax;

/// <summary>
/// Expression grammar of docs/dsl-spec.md §3, one <see cref="Parse.Chain{TKind,T,TOperator}"/> per precedence level.
/// A node's span runs from its first token to its last; a parenthesized expression's span includes the parentheses.
/// </summary>
internal static class ExpressionGrammar
{
    /// <summary>Textual nesting (parentheses, prefix operators, if) allowed before the parser gives up.</summary>
    public const int MaxNesting = 64;

    /// <summary>
    /// Depth of the resulting tree (long operator chains nest to the left). Later stages walk the tree
    /// recursively, so the limit protects them from stack overflow.
    /// </summary>
    public const int MaxTreeDepth = 256;

    public const string TooDeep = "expression nested too deeply";

    // Superpower parsers are static delegates; the nesting guard needs per-parse state, kept per thread.
    [ThreadStatic] private static int t_nesting;

    private static TokenListParser<RuleToken, Token<RuleToken>> K(RuleToken kind) => Token.EqualTo(kind);

    public static readonly TokenListParser<RuleToken, Identifier> Name =
        Token.EqualTo(RuleToken.Identifier).Or(Token.EqualTo(RuleToken.Currency))
            .Select(t => new Identifier(t.ToSpan(), t.NameText()))
            .Named("identifier");

    public static readonly TokenListParser<RuleToken, Identifier> CurrencyCode =
        Token.EqualTo(RuleToken.Currency).Select(t => new Identifier(t.ToSpan(), t.ToStringValue()));

    public static readonly TokenListParser<RuleToken, NumberLiteral> NumberLit =
        Token.EqualTo(RuleToken.Number).Select(t => new NumberLiteral(t.ToSpan(), TokenText.Number(t.Span.ToStringValue())));

    /// <summary>A number without fraction that fits an <see cref="int"/>.</summary>
    public static readonly TokenListParser<RuleToken, NumberLiteral> Integer = input =>
    {
        var result = NumberLit(input);
        if (result.HasValue && (result.Value.Value.Scale != 0 || result.Value.Value > int.MaxValue))
        {
            return TokenListParserResult.Empty<RuleToken, NumberLiteral>(input, ["integer"]);
        }

        return result;
    };

    public static readonly TokenListParser<RuleToken, PercentLiteral> PercentLit =
        Token.EqualTo(RuleToken.Percent).Select(t => new PercentLiteral(t.ToSpan(), TokenText.Number(t.Span.ToStringValue().AsSpan()[..^1])));

    public static readonly TokenListParser<RuleToken, DurationLiteral> DurationLit =
        Token.EqualTo(RuleToken.Duration).Select(t =>
        {
            var text = t.Span.ToStringValue();
            var unit = text[^1] switch
            {
                'd' => DurationUnit.Days,
                'h' => DurationUnit.Hours,
                'm' => DurationUnit.Minutes,
                _ => DurationUnit.Seconds,
            };
            return new DurationLiteral(t.ToSpan(), TokenText.Number(text.AsSpan()[..^1]), unit);
        });

    public static readonly TokenListParser<RuleToken, StringLiteral> StringLit =
        Token.EqualTo(RuleToken.String).Select(t => new StringLiteral(t.ToSpan(), Unescape(t.Span.ToStringValue())));

    /// <summary><c>499 USD</c>: a number, whitespace, a currency code.</summary>
    public static readonly TokenListParser<RuleToken, MoneyLiteral> MoneyLit =
        NumberLit.Then(n => CurrencyCode.Select(c => new MoneyLiteral(Cover(n.Span, c.Span), n.Value, c.Text)));

    public static readonly TokenListParser<RuleToken, Expr> Expression = Nested(Parse.Ref(() => IfLevel!)).Named("expression");

    private static readonly TokenListParser<RuleToken, Expr> NumberOrMoney =
        NumberLit.Then(n => CurrencyCode
            .Select(c => (Expr)new MoneyLiteral(Cover(n.Span, c.Span), n.Value, c.Text))
            .OptionalOrDefault(n));

    private static readonly TokenListParser<RuleToken, (NodeList<Expr> Items, Token<RuleToken> Close)> Arguments =
        K(RuleToken.LParen)
            .IgnoreThen(Expression.ManyDelimitedBy(K(RuleToken.Comma)))
            .Then(items => K(RuleToken.RParen).Select(close => (NodeList.From(items), close)));

    private static readonly TokenListParser<RuleToken, (NodeList<Expr> Items, Token<RuleToken> Close)> List =
        K(RuleToken.LBracket)
            .IgnoreThen(Expression.ManyDelimitedBy(K(RuleToken.Comma)))
            .Then(items => K(RuleToken.RBracket).Select(close => (NodeList.From(items), close)));

    private static readonly TokenListParser<RuleToken, Expr> NameOrCall =
        Name.Then(name => Arguments
            .Select(args => (Expr)new CallExpr(Cover(name.Span, args.Close.ToSpan()), name.Text, args.Items))
            .OptionalOrDefault(new NameExpr(name.Span, name.Text)));

    // min, max, round, cost and split are keywords elsewhere but also names of built-in functions.
    private static readonly TokenListParser<RuleToken, Expr> KeywordCall =
        Token.Matching<RuleToken>(kind => kind is RuleToken.Min or RuleToken.Max or RuleToken.Round or RuleToken.Cost or RuleToken.Split, "function")
            .Then(fn => Arguments.Select(args => (Expr)new CallExpr(Cover(fn, args.Close), fn.ToStringValue(), args.Items)));

    private static readonly TokenListParser<RuleToken, Expr> Meta =
        K(RuleToken.Event).Then(kw => K(RuleToken.Dot)
            .IgnoreThen(Token.EqualTo(RuleToken.Identifier))
            .Then(field => K(RuleToken.Dot).IgnoreThen(Token.EqualTo(RuleToken.Identifier))
                .Select(attribute => (Expr)new MetaExpr(Cover(kw, attribute), field.ToStringValue(), attribute.ToStringValue()))
                .OptionalOrDefault(new MetaExpr(Cover(kw, field), field.ToStringValue()))));

    private static readonly TokenListParser<RuleToken, Expr> Has =
        K(RuleToken.Has).Then(kw => K(RuleToken.LParen)
            .IgnoreThen(Meta.Select(meta => (Text: RulePrinter.Print(meta), Meta: (MetaExpr?)(MetaExpr)meta))
                .Or(Name.Select(name => (name.Text, Meta: (MetaExpr?)null))))
            .Then(field => K(RuleToken.RParen).Select(close => (Expr)new HasExpr(Cover(kw, close), field.Text, field.Meta))));

    private static readonly TokenListParser<RuleToken, Expr> Parenthesized =
        K(RuleToken.LParen).Then(open => Expression.Then(inner => K(RuleToken.RParen).Select(close => inner with { Span = Cover(open, close) })));

    private static readonly TokenListParser<RuleToken, Expr> Primary =
        NumberOrMoney
            .Or(PercentLit.Select(p => (Expr)p))
            .Or(DurationLit.Select(d => (Expr)d))
            .Or(StringLit.Select(s => (Expr)s))
            .Or(K(RuleToken.True).Select(t => (Expr)new BoolLiteral(t.ToSpan(), true)))
            .Or(K(RuleToken.False).Select(t => (Expr)new BoolLiteral(t.ToSpan(), false)))
            .Or(K(RuleToken.Null).Select(t => (Expr)new NullLiteral(t.ToSpan())))
            .Or(NameOrCall)
            .Or(KeywordCall)
            .Or(Meta)
            .Or(Has)
            .Or(Parse.Ref(() => ScriptGrammar.Script))
            .Or(Parenthesized);

    private static readonly TokenListParser<RuleToken, Expr> Unary =
        K(RuleToken.Minus)
            .Then(op => Nested(Parse.Ref(() => Unary!)).Select(operand => (Expr)new UnaryExpr(Cover(op, operand.Span), UnaryOp.Negate, operand)))
            .Or(Primary)
            .Named("expression");

    private static readonly TokenListParser<RuleToken, Expr> Multiplicative = Parse.Chain(
        Op(RuleToken.Star, BinaryOp.Multiply).Or(Op(RuleToken.Slash, BinaryOp.Divide)), Unary, MakeBinary);

    private static readonly TokenListParser<RuleToken, Expr> Additive = Parse.Chain(
        Op(RuleToken.Plus, BinaryOp.Add).Or(Op(RuleToken.Minus, BinaryOp.Subtract)), Multiplicative, MakeBinary);

    private static readonly TokenListParser<RuleToken, Expr> Coalesce = Parse.Chain(
        Op(RuleToken.QuestionQuestion, BinaryOp.Coalesce), Additive, MakeBinary);

    private static readonly TokenListParser<RuleToken, BinaryOp> ComparisonOp =
        Op(RuleToken.EqualEqual, BinaryOp.Equal)
            .Or(Op(RuleToken.BangEqual, BinaryOp.NotEqual))
            .Or(Op(RuleToken.LessEqual, BinaryOp.LessOrEqual))
            .Or(Op(RuleToken.Less, BinaryOp.Less))
            .Or(Op(RuleToken.GreaterEqual, BinaryOp.GreaterOrEqual))
            .Or(Op(RuleToken.Greater, BinaryOp.Greater));

    private static readonly TokenListParser<RuleToken, Func<Expr, Expr>> ComparisonTail =
        ComparisonOp.Then(op => Coalesce.Select(right => (Func<Expr, Expr>)(left => MakeBinary(op, left, right))));

    private static readonly TokenListParser<RuleToken, Func<Expr, Expr>> InTail =
        K(RuleToken.Not).Value(true).OptionalOrDefault(false)
            .Then(negated => K(RuleToken.In).IgnoreThen(List).Select(list =>
                (Func<Expr, Expr>)(value => new InExpr(Cover(value.Span, list.Close.ToSpan()), value, list.Items, negated))));

    private static readonly TokenListParser<RuleToken, Expr> ComparisonCore =
        Coalesce.Then(left => ComparisonTail.Or(InTail).Select(tail => tail(left)).OptionalOrDefault(left));

    /// <summary>Comparisons do not chain: <c>a &lt; b &lt; c</c> is an error at the second operator.</summary>
    private static readonly TokenListParser<RuleToken, Expr> Comparison = input =>
    {
        var result = ComparisonCore(input);
        if (!result.HasValue || result.Value is not (InExpr or BinaryExpr { Op: >= BinaryOp.Equal and <= BinaryOp.GreaterOrEqual })) return result;
        var next = result.Remainder.ConsumeToken();
        if (!next.HasValue || next.Value.Kind is not (RuleToken.EqualEqual or RuleToken.BangEqual or RuleToken.Less or RuleToken.LessEqual
                or RuleToken.Greater or RuleToken.GreaterEqual or RuleToken.In))
        {
            return result;
        }

        var category = next.Value.Kind == RuleToken.In ? "keyword" : "operator";
        return TokenListParserResult.Empty<RuleToken, Expr>(result.Remainder,
            $"unexpected {category} `{next.Value.ToStringValue()}`, comparisons do not chain (combine them with `and`)");
    };

    private static readonly TokenListParser<RuleToken, Expr> NotLevel =
        K(RuleToken.Not)
            .Then(op => Nested(Parse.Ref(() => NotLevel!)).Select(operand => (Expr)new UnaryExpr(Cover(op, operand.Span), UnaryOp.Not, operand)))
            .Or(Comparison)
            .Named("expression");

    private static readonly TokenListParser<RuleToken, Expr> AndLevel = Parse.Chain(Op(RuleToken.And, BinaryOp.And), NotLevel, MakeBinary);

    private static readonly TokenListParser<RuleToken, Expr> OrLevel = Parse.Chain(Op(RuleToken.Or, BinaryOp.Or), AndLevel, MakeBinary);

    private static readonly TokenListParser<RuleToken, Expr> IfLevel =
        K(RuleToken.If)
            .Then(kw => Expression.Then(condition => K(RuleToken.Then).IgnoreThen(Expression).Then(whenTrue => K(RuleToken.Else).IgnoreThen(Expression)
                .Select(whenFalse => (Expr)new IfExpr(Cover(kw, whenFalse.Span), condition, whenTrue, whenFalse)))))
            .Or(OrLevel);

    private static TokenListParser<RuleToken, BinaryOp> Op(RuleToken kind, BinaryOp op) => Token.EqualTo(kind).Value(op);

    private static Expr MakeBinary(BinaryOp op, Expr left, Expr right) => new BinaryExpr(Cover(left.Span, right.Span), op, left, right);

    /// <summary>
    /// Counts nesting around a recursive use of the grammar. The failure carries a sub-token position, which
    /// Superpower treats as consumed input, so no alternative backtracks over it and the message survives.
    /// </summary>
    private static TokenListParser<RuleToken, Expr> Nested(TokenListParser<RuleToken, Expr> parser) => input =>
    {
        var first = input.ConsumeToken();
        if (!first.HasValue) return parser(input);
        if (t_nesting >= MaxNesting) return TooDeepAt(input, first.Value);

        t_nesting++;
        try
        {
            var result = parser(input);
            if (t_nesting == 1 && result.HasValue && TreeDepth(result.Value) > MaxTreeDepth) return TooDeepAt(input, first.Value);
            return result;
        }
        finally
        {
            t_nesting--;
        }
    };

    private static TokenListParserResult<RuleToken, Expr> TooDeepAt(TokenList<RuleToken> input, Token<RuleToken> token) =>
        TokenListParserResult.Empty<RuleToken, Expr>(input, token.Position, TooDeep);

    /// <summary>Depth of an expression tree, measured without recursion.</summary>
    private static int TreeDepth(Expr root)
    {
        var max = 0;
        var pending = new Stack<(Expr Node, int Depth)>();
        pending.Push((root, 1));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            max = Math.Max(max, depth);
            if (max > MaxTreeDepth) return max;
            foreach (var child in Children(node)) pending.Push((child, depth + 1));
        }

        return max;
    }

    private static IEnumerable<Expr> Children(Expr node) => node switch
    {
        UnaryExpr unary => [unary.Operand],
        BinaryExpr binary => [binary.Left, binary.Right],
        InExpr inExpr => [inExpr.Value, .. inExpr.Items],
        IfExpr ifExpr => [ifExpr.Condition, ifExpr.Then, ifExpr.Else],
        CallExpr call => call.Arguments,
        _ => [],
    };
}
