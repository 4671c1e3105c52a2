using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Binding;

/// <summary>Builds expression syntax by hand (spans are empty) for binder and compiler tests that need no parser.</summary>
internal static class Ast
{
    private static readonly TextSpan At = new(0, 0);

    public static Expr Num(decimal value) => new NumberLiteral(At, value);
    public static Expr Pct(decimal percent) => new PercentLiteral(At, percent);
    public static Expr Money(decimal amount, string currency) => new MoneyLiteral(At, amount, currency);
    public static Expr Str(string value) => new StringLiteral(At, value);
    public static Expr Bool(bool value) => new BoolLiteral(At, value);
    public static Expr Days(decimal amount) => new DurationLiteral(At, amount, DurationUnit.Days);
    public static Expr Minutes(decimal amount) => new DurationLiteral(At, amount, DurationUnit.Minutes);
    public static Expr Name(string name) => new NameExpr(At, name);
    public static Expr Meta(string name) => new MetaExpr(At, name);
    public static Expr Has(string field) => new HasExpr(At, field);
    public static Expr Call(string function, params Expr[] args) => new CallExpr(At, function, NodeList.From(args));
    public static Expr Neg(Expr operand) => new UnaryExpr(At, UnaryOp.Negate, operand);
    public static Expr Not(Expr operand) => new UnaryExpr(At, UnaryOp.Not, operand);
    public static Expr Bin(BinaryOp op, Expr left, Expr right) => new BinaryExpr(At, op, left, right);
    public static Expr In(Expr value, bool negated, params Expr[] items) => new InExpr(At, value, NodeList.From(items), negated);
    public static Expr If(Expr condition, Expr then, Expr otherwise) => new IfExpr(At, condition, then, otherwise);
}
