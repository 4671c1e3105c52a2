using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RulesBilling.Dsl.Binding;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Tests.Binding;
using RulesBilling.Dsl.Text;
using static RulesBilling.Dsl.Tests.Binding.Ast;

namespace RulesBilling.Dsl.Tests.Compilation;

/// <summary>
/// Generated well-typed expressions over a fixed event schema: the compiled delegate and the reference interpreter
/// agree on every value, and on the error code when evaluation fails (division by zero, overflow).
/// </summary>
public class CompiledMatchesInterpreterProperties
{
    private enum Kind { Number, Bool, String, Money, Duration, Timestamp }

    internal static readonly EventSchema Schema = new("sample", new FieldSchema[]
    {
        new("a", FieldType.Decimal, false, 0, null),
        new("b", FieldType.Decimal, false, 1, null),
        new("n", FieldType.Integer, false, 2, null),
        new("s", FieldType.String, false, 3, null),
        new("s2", FieldType.String, false, 4, null),
        new("t", FieldType.Timestamp, false, 5, null),
        new("d", FieldType.Duration, false, 6, null),
        new("m", FieldType.Money, false, 7, "USD"),
        new("flag", FieldType.Bool, false, 8, null),
        new("o", FieldType.Decimal, true, 9, null),
        new("os", FieldType.String, true, 10, null),
    });

    private static readonly decimal[] InterestingNumbers =
        [0m, 1m, -1m, 2.50m, 0.1m, 3m, 1000000m, 79228162514264337593543950335m, -79228162514264337593543950335m, 0.0000001m];

    private static Gen<Expr> Leaf(Kind kind) => kind switch
    {
        Kind.Number => Gen.OneOf(
            Gen.Elements(InterestingNumbers).Select(Num),
            Gen.Choose(-500, 500).Select(i => Num(i / 10m)),
            Gen.Elements("a", "b", "n").Select(Name),
            Gen.Elements(InterestingNumbers).Select(v => Bin(BinaryOp.Coalesce, Name("o"), Num(v)))),
        Kind.Bool => Gen.OneOf(
            Gen.Elements(true, false).Select(Ast.Bool),
            Gen.Constant(Name("flag")),
            Gen.Elements("o", "os").Select(Has)),
        Kind.String => Gen.OneOf(
            Gen.Elements("", "a", "B", " x ", "ticket", "Ticket").Select(Str),
            Gen.Elements("s", "s2").Select(Name),
            Gen.Constant(Bin(BinaryOp.Coalesce, Name("os"), Str("none"))),
            Gen.Elements("id", "subject", "type").Select(Meta)),
        Kind.Money => Gen.OneOf(
            Gen.Constant(Name("m")),
            Gen.Elements(InterestingNumbers).Select(v => Ast.Money(v, "USD"))),
        Kind.Duration => Gen.OneOf(
            Gen.Constant(Name("d")),
            Gen.Choose(0, 40).Select(i => Days(i)),
            Gen.Choose(-90, 90).Select(i => Minutes(i))),
        _ => Gen.OneOf(Gen.Constant(Name("t")), Gen.Constant(Meta("time"))),
    };

    private static Gen<Expr> Node(Kind kind, int size)
    {
        var n = Of(Kind.Number, size);
        var b = Of(Kind.Bool, size);
        var s = Of(Kind.String, size);
        var m = Of(Kind.Money, size);
        var d = Of(Kind.Duration, size);
        var t = Of(Kind.Timestamp, size);
        Gen<Expr> Two(Gen<Expr> x, Gen<Expr> y, Func<Expr, Expr, Expr> f) => from l in x from r in y select f(l, r);
        Gen<Expr> IfOf(Gen<Expr> branch) => from c in b from x in branch from y in branch select If(c, x, y);
        var arithmetic = Gen.Elements(BinaryOp.Add, BinaryOp.Subtract, BinaryOp.Multiply, BinaryOp.Divide);
        var comparison = Gen.Elements(BinaryOp.Equal, BinaryOp.NotEqual, BinaryOp.Less, BinaryOp.LessOrEqual, BinaryOp.Greater, BinaryOp.GreaterOrEqual);

        return kind switch
        {
            Kind.Number => Gen.OneOf(
                from op in arithmetic from l in n from r in n select Bin(op, l, r),
                n.Select(Neg),
                Gen.Elements("abs", "floor", "ceil").SelectMany(f => n.Select(x => Call(f, x))),
                Gen.Elements("min", "max").SelectMany(f => Two(n, n, (x, y) => Call(f, x, y))),
                from x in n from digits in Gen.Choose(0, 4) select Call("round", x, Num(digits)),
                s.Select(x => Call("len", x)),
                Gen.Elements("seconds", "minutes", "hours", "days").SelectMany(f => d.Select(x => Call(f, x))),
                Two(m, m, (x, y) => Bin(BinaryOp.Divide, x, y)),
                n.Select(x => If(Has("o"), Bin(BinaryOp.Add, Name("o"), x), x)),
                IfOf(n)),
            Kind.Bool => Gen.OneOf(
                from op in Gen.Elements(BinaryOp.And, BinaryOp.Or) from l in b from r in b select Bin(op, l, r),
                b.Select(Not),
                from op in comparison from l in n from r in n select Bin(op, l, r),
                from op in comparison from l in s from r in s select Bin(op, l, r),
                from op in comparison from l in m from r in m select Bin(op, l, r),
                from op in comparison from l in d from r in d select Bin(op, l, r),
                from op in comparison from l in t from r in t select Bin(op, l, r),
                from op in Gen.Elements(BinaryOp.Equal, BinaryOp.NotEqual) from l in b from r in b select Bin(op, l, r),
                from v in n from x in n from y in n from neg in Gen.Elements(true, false) select In(v, neg, x, y),
                from v in s from x in s from neg in Gen.Elements(true, false) select In(v, neg, x, Str("ticket")),
                Gen.Elements("startsWith", "endsWith", "contains").SelectMany(f => Two(s, s, (x, y) => Call(f, x, y))),
                from x in s from pattern in Gen.Elements("^t", "(?i)ticket", "[0-9]+$", "@example[.]com$", "", "a|b", "^$") select Call("matches", x, Str(pattern)),
                n.Select(x => Bin(BinaryOp.And, Has("o"), Bin(BinaryOp.Greater, Name("o"), x))),
                IfOf(b)),
            Kind.String => Gen.OneOf(
                Two(s, s, (x, y) => Bin(BinaryOp.Add, x, y)),
                Gen.Elements("lower", "upper", "trim", "email_domain").SelectMany(f => s.Select(x => Call(f, x))),
                from x in s from start in Indexes from length in Indexes select Call("substring", x, start, length),
                from x in s from separator in Gen.Elements("-", "@", "", "ck", " ") from index in Indexes select Call("split", x, Str(separator), index),
                s.Select(x => If(Has("os"), Name("os"), x)),
                IfOf(s)),
            Kind.Money => Gen.OneOf(
                from op in Gen.Elements(BinaryOp.Add, BinaryOp.Subtract) from l in m from r in m select Bin(op, l, r),
                Two(m, n, (x, y) => Bin(BinaryOp.Multiply, x, y)),
                Two(n, m, (x, y) => Bin(BinaryOp.Multiply, x, y)),
                Two(m, n, (x, y) => Bin(BinaryOp.Divide, x, y)),
                m.Select(Neg),
                m.Select(x => Call("round", x, Num(2))),
                Two(m, m, (x, y) => Call("max", x, y)),
                IfOf(m)),
            Kind.Duration => Gen.OneOf(
                from op in Gen.Elements(BinaryOp.Add, BinaryOp.Subtract) from l in d from r in d select Bin(op, l, r),
                Two(d, n, (x, y) => Bin(BinaryOp.Multiply, x, y)),
                Two(n, d, (x, y) => Bin(BinaryOp.Multiply, x, y)),
                Two(t, t, (x, y) => Bin(BinaryOp.Subtract, x, y)),
                d.Select(Neg),
                IfOf(d)),
            _ => Gen.OneOf(
                from op in Gen.Elements(BinaryOp.Add, BinaryOp.Subtract) from l in t from r in d select Bin(op, l, r),
                Two(d, t, (x, y) => Bin(BinaryOp.Add, x, y)),
                IfOf(t)),
        };
    }

    /// <summary>Integer arguments of substring() and split(): in range, past the end, negative, and the field n (−50..50).</summary>
    private static readonly Gen<Expr> Indexes = Gen.OneOf(Gen.Choose(-2, 12).Select(i => Num(i)), Gen.Constant(Name("n")));

    private static Gen<Expr> Of(Kind kind, int size) => size <= 0 ? Leaf(kind) : Gen.OneOf(Leaf(kind), Node(kind, size / 2));

    private static readonly Gen<(Kind Kind, Expr Expr)> Expressions =
        from kind in Gen.Elements(Enum.GetValues<Kind>())
        from expr in Gen.Sized(size => Of(kind, Math.Min(size, 8)))
        select (kind, expr);

    private static readonly Gen<decimal> Numbers = Gen.OneOf(
        Gen.Elements(InterestingNumbers),
        Gen.Choose(-100_000, 100_000).Select(i => i / 100m));

    internal static readonly Gen<RuleEvent> Events =
        from a in Numbers
        from b in Numbers
        from n in Gen.Choose(-50, 50)
        from s in Gen.Elements("", "ticket", "Ticket-1", " x ", "Bob@Example.COM ", "a@b@c-d", "ticket-42")
        from s2 in Gen.Elements("a", "ticket", "z")
        from days in Gen.Choose(-400, 400)
        from minutes in Gen.Choose(-100_000, 100_000)
        from m in Numbers
        from flag in Gen.Elements(true, false)
        from o in Gen.OneOf(Gen.Constant<object?>(null), Numbers.Select(x => (object?)x))
        from os in Gen.Elements<object?>(null, "", "gold")
        let time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(days)
        select new RuleEvent("evt-1", "src", "sample", "acme", time.AddMinutes(minutes),
            [a, b, (decimal)n, s, s2, time, TimeSpan.FromMinutes(minutes), m, flag, o, os]);

    [Property(MaxTest = 400)]
    public Property Compiled_delegate_equals_interpreter() =>
        Prop.ForAll(Arb.From(Expressions), Arb.From(Events), (generated, evt) =>
        {
            var source = new SourceText("gen.rules", "");
            var bag = new DiagnosticBag();
            var bound = new ExpressionBinder(source, bag, new EventScope(Schema)).BindValue(generated.Expr);
            Assert.Empty(bag.ToSortedList());
            Assert.False(bound.Type.Optional);

            var compiled = ExpressionCompiler.CompileBoxed(bound, source);
            Assert.Equal(Run(() => ReferenceInterpreter.Evaluate(bound, evt)), Run(() => compiled(evt)));
        });

    [Theory]
    [InlineData("a / (b - b)", "error RB0901")]
    [InlineData("a * a * a", "error RB0902")]
    [InlineData("m + 79228162514264337593543950335 USD", "error RB0902")]
    [InlineData("t + d * 100000000", "error RB0902")]
    [InlineData("flag or a / 0 > 1", "true")]
    [InlineData("not flag and a / 0 > 1", "false")]
    [InlineData("if flag then 1 else a / 0", "1")]
    [InlineData("(o ?? 2) / 4", "0.5")]
    [InlineData("round(2.345, 2) + round(-2.345, 2)", "0.00")]
    public void Compiled_and_interpreted_agree_on_values_errors_and_short_circuits(string text, string expected)
    {
        var source = new SourceText("x.rules", text);
        var bag = new DiagnosticBag();
        var bound = new ExpressionBinder(source, bag, new EventScope(Schema)).BindValue(RuleParser.ParseExpression(source).Expression!);
        Assert.Empty(bag.ToSortedList());
        var evt = new RuleEvent("id", "src", "sample", "acme", DateTimeOffset.UnixEpoch,
            [1e10m, 3m, 1m, "s", "t", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(1), 1m, true, null, null]);
        Assert.Equal(expected, Run(() => ReferenceInterpreter.Evaluate(bound, evt)).Trim('"'));
        Assert.Equal(expected, Run(() => ExpressionCompiler.CompileBoxed(bound, source)(evt)).Trim('"'));
    }

    /// <summary>The value as exact text, or "error RBnnnn" — any other exception fails the property.</summary>
    private static string Run(Func<object?> evaluate)
    {
        try
        {
            return ReferenceInterpreter.Show(evaluate());
        }
        catch (RuleEvaluationException ex)
        {
            return "error " + ex.Code;
        }
        catch (InterpreterFault fault)
        {
            return "error " + fault.Code;
        }
    }
}
