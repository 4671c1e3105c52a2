using System.Collections.Immutable;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Binding;

/// <summary>
/// Type-checks one expression in a <see cref="BindingScope"/> and produces the bound tree. Every problem becomes a
/// diagnostic and an error-typed node; error types propagate silently so a mistake is reported once.
/// </summary>
internal sealed class ExpressionBinder(SourceText source, DiagnosticBag diagnostics, BindingScope scope, Scripting.ScriptBinder? scripts = null)
{
    private static readonly ImmutableHashSet<string> NothingNarrowed = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    /// <summary>Binds an expression whose value must be present (the normal case).</summary>
    public BoundExpr BindValue(Expr expr) => Require(Bind(expr, NothingNarrowed));

    /// <summary>Binds an expression that may be optional: dimension values and split targets.</summary>
    public BoundExpr BindMaybeAbsent(Expr expr) => Bind(expr, NothingNarrowed);

    /// <summary>
    /// Binds a whole clause expression; a script without <c>returns</c> gets the clause's type <paramref name="scriptType"/>
    /// (optional for dimensions). Anything else binds as <see cref="BindValue"/> or, for an optional type, <see cref="BindMaybeAbsent"/>.
    /// </summary>
    public BoundExpr BindClause(Expr expr, RuleType? scriptType) => expr switch
    {
        ScriptExpr { Returns: null } script => BindScript(script, scriptType),
        _ => scriptType is { Optional: true } ? BindMaybeAbsent(expr) : BindValue(expr),
    };

    private BoundExpr BindScript(ScriptExpr script, RuleType? clauseType) => scripts is null
        ? Fail(script.Span, Scripting.ScriptCodes.NotAllowedHere, "a C# script cannot be used here")
        : scripts.Bind(script, source, scope, clauseType);

    /// <summary>
    /// Reports RB0201 unless the bound type satisfies <paramref name="accept"/>; <paramref name="role"/> names the place
    /// ("the when condition") and <paramref name="expected"/> the wanted type ("bool").
    /// </summary>
    public bool Expect(BoundExpr bound, Func<RuleType, bool> accept, string role, string expected)
    {
        if (bound.Type.IsError || accept(bound.Type)) return !bound.Type.IsError;
        Error(bound.Span, DiagnosticCodes.TypeMismatch, $"{role} must be {expected}, but this expression is {bound.Type}");
        return false;
    }

    private BoundExpr Bind(Expr expr, ImmutableHashSet<string> narrowed) => expr switch
    {
        NumberLiteral n => new BoundLiteral(n.Span, n.Value.Scale == 0 ? RuleType.Integer : RuleType.Decimal, n.Value),
        PercentLiteral p => new BoundLiteral(p.Span, RuleType.Decimal, p.Percent / 100m),
        DurationLiteral d => new BoundLiteral(d.Span, RuleType.Duration, d.ToTimeSpan()),
        MoneyLiteral m => BindMoney(m),
        StringLiteral s => new BoundLiteral(s.Span, RuleType.String, s.Value),
        BoolLiteral b => new BoundLiteral(b.Span, RuleType.Bool, b.Value),
        NullLiteral n => Fail(n.Span, DiagnosticCodes.TypeMismatch, "null is not a value; test an optional field with has(x) or give it a default with x ?? default"),
        NameExpr name => BindName(name.Span, name.Name, narrowed),
        MetaExpr meta => BindMeta(meta, narrowed),
        HasExpr has => BindHas(has),
        CallExpr call => BindCall(call, narrowed),
        UnaryExpr unary => BindUnary(unary, narrowed),
        BinaryExpr { Op: BinaryOp.Coalesce } coalesce => BindCoalesce(coalesce, narrowed),
        BinaryExpr binary => BindBinary(binary, narrowed),
        InExpr inExpr => BindIn(inExpr, narrowed),
        IfExpr ifExpr => BindIf(ifExpr, narrowed),
        ScriptExpr script => BindScript(script, null),
        _ => Fail(expr.Span, DiagnosticCodes.TypeMismatch, "this expression is not supported here"),
    };

    private BoundExpr BindMoney(MoneyLiteral money)
    {
        if (Currencies.IsKnown(money.Currency)) return new BoundLiteral(money.Span, RuleType.Money(money.Currency), money.Amount);
        return Fail(money.Span, DiagnosticCodes.UnknownCurrency, UnknownCurrencyMessage(money.Currency));
    }

    public static string UnknownCurrencyMessage(string code) =>
        $"unknown currency '{code}'{NameSuggestions.DidYouMean(code, Currencies.Codes)}; use an ISO 4217 code such as USD, EUR or JPY";

    private BoundExpr BindName(TextSpan span, string name, ImmutableHashSet<string> narrowed)
    {
        switch (scope)
        {
            case EventScope { Event: var schema }:
                var field = schema.Find(name);
                if (field is null)
                {
                    return Fail(span, DiagnosticCodes.UnknownField,
                        $"event '{schema.Name}' has no field '{name}'{NameSuggestions.DidYouMean(name, schema.Fields.Select(f => f.Name))}; " +
                        $"its fields are: {NameSuggestions.List(schema.Fields.Select(f => f.Name))}");
                }
                var type = FieldTypes.ToRuleType(field);
                return new BoundFieldRead(span, narrowed.Contains(name) ? type.AsRequired() : type, field);

            case FilterScope filter:
                if (!filter.Dimensions.Contains(name))
                {
                    return Fail(span, DiagnosticCodes.UnknownField,
                        $"outcome '{filter.Outcome}' has no dimension '{name}'{NameSuggestions.DidYouMean(name, filter.Dimensions)}; " +
                        $"a charge filter can use its dimensions: {NameSuggestions.List(filter.Dimensions)}");
                }
                return new BoundDimensionRead(span, narrowed.Contains(name) ? RuleType.String : RuleType.String.AsOptional(), name);

            default:
                return Fail(span, DiagnosticCodes.UnknownField,
                    $"'{name}' is not known in a guard condition; guards can only use revenue(), cost(), margin() and count()");
        }
    }

    private BoundExpr BindMeta(MetaExpr meta, ImmutableHashSet<string> narrowed)
    {
        if (scope is not EventScope)
        {
            return Fail(meta.Span, DiagnosticCodes.UnknownField,
                $"event.{meta.Name} is not available here; only outcome and cost clauses can read the event");
        }
        if (meta.Name == "ext") return BindExtension(meta, narrowed);
        if (meta.Attribute is not null)
        {
            return Fail(meta.Span, DiagnosticCodes.BadExtensionAttribute,
                $"event.{meta.Name} has no attributes; extension attributes are read as event.ext.NAME");
        }
        return meta.Name switch
        {
            "id" => new BoundMetaRead(meta.Span, RuleType.String, MetaField.Id),
            "source" => new BoundMetaRead(meta.Span, RuleType.String, MetaField.Source),
            "type" => new BoundMetaRead(meta.Span, RuleType.String, MetaField.Type),
            "subject" => new BoundMetaRead(meta.Span, RuleType.String, MetaField.Subject),
            "time" => new BoundMetaRead(meta.Span, RuleType.Timestamp, MetaField.Time),
            _ => Fail(meta.Span, DiagnosticCodes.UnknownField,
                $"unknown event attribute 'event.{meta.Name}'{NameSuggestions.DidYouMean(meta.Name, MetaNames)}; use event.id, event.source, event.type, event.subject or event.time"),
        };
    }

    private static readonly string[] MetaNames = ["id", "source", "type", "subject", "time"];

    private BoundExpr BindExtension(MetaExpr meta, ImmutableHashSet<string> narrowed)
    {
        if (meta.Attribute is not { } name)
        {
            return Fail(meta.Span, DiagnosticCodes.BadExtensionAttribute,
                "event.ext needs an attribute name, such as event.ext.traceparent");
        }
        // CloudEvents 1.0: attribute names are lower-case ASCII letters and digits; no event can carry another.
        if (name.Length == 0 || !name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9'))
        {
            return Fail(meta.Span, DiagnosticCodes.BadExtensionAttribute,
                $"'{name}' cannot be a CloudEvents extension attribute; names are lower-case letters a-z and digits 0-9 (e.g. event.ext.{name.ToLowerInvariant().Replace("_", "")})");
        }
        if (name is "id" or "source" or "type" or "subject" or "time" or "specversion" or "datacontenttype" or "dataschema" or "data" or "data_base64")
        {
            return Fail(meta.Span, DiagnosticCodes.BadExtensionAttribute,
                $"'{name}' is a CloudEvents context attribute, not an extension; read it as event.{name}");
        }
        var text = "event.ext." + name;
        return new BoundExtensionRead(meta.Span, narrowed.Contains(text) ? RuleType.String : RuleType.String.AsOptional(), name);
    }

    private BoundExpr BindHas(HasExpr has)
    {
        if (has.Meta is { } meta)
        {
            var read = BindMeta(meta, NothingNarrowed);
            if (read.Type.IsError || read is BoundExtensionRead) return read.Type.IsError ? read : new BoundHas(has.Span, read);
            return Fail(meta.Span, DiagnosticCodes.TypeMismatch,
                $"event.{meta.Name} is always present; has() tests an optional field or an extension attribute event.ext.NAME");
        }
        var target = BindName(has.Span, has.Field, NothingNarrowed);
        return target.Type.IsError ? target : new BoundHas(has.Span, target);
    }

    private BoundExpr BindUnary(UnaryExpr unary, ImmutableHashSet<string> narrowed)
    {
        var operand = Require(Bind(unary.Operand, narrowed));
        if (operand.Type.IsError) return operand;
        if (unary.Op == UnaryOp.Not)
        {
            return operand.Type.Kind == TypeKind.Bool
                ? new BoundUnary(unary.Span, RuleType.Bool, BoundUnaryOperator.Not, operand)
                : Fail(unary.Operand.Span, DiagnosticCodes.TypeMismatch, $"'not' needs a bool, but this expression is {operand.Type}");
        }
        if (operand.Type.IsNumber || operand.Type.IsMoney)
            return new BoundUnary(unary.Span, operand.Type, BoundUnaryOperator.Negate, operand);
        if (operand.Type.Kind == TypeKind.Duration)
            return new BoundUnary(unary.Span, operand.Type, BoundUnaryOperator.NegateDuration, operand);
        return Fail(unary.Span, DiagnosticCodes.TypeMismatch,
            $"unary '-' applies to decimal, money or duration, not {operand.Type}");
    }

    private BoundExpr BindBinary(BinaryExpr binary, ImmutableHashSet<string> narrowed)
    {
        if (binary.Op is BinaryOp.And or BinaryOp.Or)
        {
            var left = Require(Bind(binary.Left, narrowed));
            // `has(x) and x > 0`: the right side only runs when the left is true, so x is present there.
            var rightNarrowed = binary.Op == BinaryOp.And ? narrowed.Union(PresentWhenTrue(binary.Left)) : narrowed;
            var right = Require(Bind(binary.Right, rightNarrowed));
            var word = binary.Op == BinaryOp.And ? "and" : "or";
            var ok = ExpectBool(left, $"the left side of '{word}'") & ExpectBool(right, $"the right side of '{word}'");
            return ok
                ? new BoundBinary(binary.Span, RuleType.Bool, binary.Op == BinaryOp.And ? BoundBinaryOperator.And : BoundBinaryOperator.Or, left, right)
                : new BoundErrorExpr(binary.Span);
        }

        var l = Require(Bind(binary.Left, narrowed));
        var r = Require(Bind(binary.Right, narrowed));
        if (l.Type.IsError || r.Type.IsError) return new BoundErrorExpr(binary.Span);
        return binary.Op switch
        {
            BinaryOp.Add or BinaryOp.Subtract => BindAdditive(binary, l, r),
            BinaryOp.Multiply => BindMultiply(binary, l, r),
            BinaryOp.Divide => BindDivide(binary, l, r),
            _ => BindComparison(binary, l, r),
        };
    }

    private BoundExpr BindAdditive(BinaryExpr binary, BoundExpr l, BoundExpr r)
    {
        var add = binary.Op == BinaryOp.Add;
        var symbol = add ? "+" : "-";
        var (lt, rt) = (l.Type, r.Type);
        if (lt.IsNumber && rt.IsNumber)
            return new BoundBinary(binary.Span, RuleType.Unify(lt, rt), add ? BoundBinaryOperator.Add : BoundBinaryOperator.Subtract, l, r);
        if (lt.IsMoney && rt.IsMoney)
        {
            if (lt.Currency != rt.Currency) return CurrencyMismatch(binary.Span, add ? "add" : "subtract", lt, rt);
            return new BoundBinary(binary.Span, lt, add ? BoundBinaryOperator.Add : BoundBinaryOperator.Subtract, l, r);
        }
        if (lt.Kind == TypeKind.Timestamp && rt.Kind == TypeKind.Duration)
            return new BoundBinary(binary.Span, RuleType.Timestamp, add ? BoundBinaryOperator.AddDuration : BoundBinaryOperator.SubtractDuration, l, r);
        if (add && lt.Kind == TypeKind.Duration && rt.Kind == TypeKind.Timestamp)
            return new BoundBinary(binary.Span, RuleType.Timestamp, BoundBinaryOperator.AddDuration, r, l);
        if (!add && lt.Kind == TypeKind.Timestamp && rt.Kind == TypeKind.Timestamp)
            return new BoundBinary(binary.Span, RuleType.Duration, BoundBinaryOperator.SubtractTimestamps, l, r);
        if (lt.Kind == TypeKind.Duration && rt.Kind == TypeKind.Duration)
            return new BoundBinary(binary.Span, RuleType.Duration, add ? BoundBinaryOperator.AddDurations : BoundBinaryOperator.SubtractDurations, l, r);
        if (add && lt.Kind == TypeKind.String && rt.Kind == TypeKind.String)
            return new BoundBinary(binary.Span, RuleType.String, BoundBinaryOperator.Concat, l, r);

        var hint = (lt.IsMoney && rt.IsNumber) || (lt.IsNumber && rt.IsMoney)
            ? $"; write the number as money too (e.g. 5 {(lt.IsMoney ? lt.Currency : rt.Currency)})"
            : "";
        return Fail(binary.Span, DiagnosticCodes.TypeMismatch, $"operator '{symbol}' cannot be applied to {lt} and {rt}{hint}");
    }

    private BoundExpr BindMultiply(BinaryExpr binary, BoundExpr l, BoundExpr r)
    {
        var (lt, rt) = (l.Type, r.Type);
        if (lt.IsNumber && rt.IsNumber)
            return new BoundBinary(binary.Span, RuleType.Unify(lt, rt), BoundBinaryOperator.Multiply, l, r);
        if (lt.IsMoney && rt.IsMoney)
        {
            return Fail(binary.Span, DiagnosticCodes.MoneyTimesMoney,
                $"cannot multiply {lt} by {rt}; multiply money by a plain number instead (e.g. price * quantity)");
        }
        if (lt.IsMoney && rt.IsNumber) return new BoundBinary(binary.Span, lt, BoundBinaryOperator.Multiply, l, r);
        if (lt.IsNumber && rt.IsMoney) return new BoundBinary(binary.Span, rt, BoundBinaryOperator.Multiply, l, r);
        if (lt.Kind == TypeKind.Duration && rt.IsNumber)
            return new BoundBinary(binary.Span, RuleType.Duration, BoundBinaryOperator.MultiplyDuration, l, r);
        if (lt.IsNumber && rt.Kind == TypeKind.Duration)
            return new BoundBinary(binary.Span, RuleType.Duration, BoundBinaryOperator.MultiplyDuration, r, l);
        return Fail(binary.Span, DiagnosticCodes.TypeMismatch, $"operator '*' cannot be applied to {lt} and {rt}");
    }

    private BoundExpr BindDivide(BinaryExpr binary, BoundExpr l, BoundExpr r)
    {
        var (lt, rt) = (l.Type, r.Type);
        if (lt.IsNumber && rt.IsNumber) return new BoundBinary(binary.Span, RuleType.Decimal, BoundBinaryOperator.Divide, l, r);
        if (lt.IsMoney && rt.IsNumber) return new BoundBinary(binary.Span, lt, BoundBinaryOperator.Divide, l, r);
        if (lt.IsMoney && rt.IsMoney)
        {
            if (lt.Currency != rt.Currency) return CurrencyMismatch(binary.Span, "divide", lt, rt);
            return new BoundBinary(binary.Span, RuleType.Decimal, BoundBinaryOperator.Divide, l, r);
        }
        return Fail(binary.Span, DiagnosticCodes.TypeMismatch, $"operator '/' cannot be applied to {lt} and {rt}");
    }

    private BoundExpr BindComparison(BinaryExpr binary, BoundExpr l, BoundExpr r)
    {
        var (lt, rt) = (l.Type, r.Type);
        var symbol = Symbol(binary.Op);
        var op = binary.Op switch
        {
            BinaryOp.Equal => BoundBinaryOperator.Equal,
            BinaryOp.NotEqual => BoundBinaryOperator.NotEqual,
            BinaryOp.Less => BoundBinaryOperator.Less,
            BinaryOp.LessOrEqual => BoundBinaryOperator.LessOrEqual,
            BinaryOp.Greater => BoundBinaryOperator.Greater,
            _ => BoundBinaryOperator.GreaterOrEqual,
        };
        if (lt.IsMoney && rt.IsMoney && lt.Currency != rt.Currency) return CurrencyMismatch(binary.Span, "compare", lt, rt);
        if (!lt.IsCompatibleWith(rt))
        {
            var hint = (lt.IsMoney && rt.IsNumber) || (lt.IsNumber && rt.IsMoney)
                ? $"; write the number as money too (e.g. 5 {(lt.IsMoney ? lt.Currency : rt.Currency)})"
                : "; both sides must have the same type";
            return Fail(binary.Span, DiagnosticCodes.TypeMismatch, $"operator '{symbol}' cannot compare {lt} with {rt}{hint}");
        }
        if (op is not (BoundBinaryOperator.Equal or BoundBinaryOperator.NotEqual) && lt.Kind == TypeKind.Bool)
            return Fail(binary.Span, DiagnosticCodes.TypeMismatch, $"operator '{symbol}' cannot order bool values; use == or !=");
        return new BoundBinary(binary.Span, RuleType.Bool, op, l, r);
    }

    private BoundExpr BindCoalesce(BinaryExpr binary, ImmutableHashSet<string> narrowed)
    {
        var left = Bind(binary.Left, narrowed);
        var right = Bind(binary.Right, narrowed);
        if (left.Type.IsError || right.Type.IsError) return new BoundErrorExpr(binary.Span);
        // A field narrowed by has() is still declared optional; a default there is redundant but harmless.
        var mayBeAbsent = left.Type.Optional || left is BoundFieldRead { Field.Optional: true } or BoundDimensionRead or BoundExtensionRead;
        if (!mayBeAbsent)
        {
            return Fail(binary.Left.Span, DiagnosticCodes.TypeMismatch,
                $"the left side of '??' is never absent (it is {left.Type}); '??' is for optional fields — remove the default");
        }
        if (!left.Type.IsCompatibleWith(right.Type))
        {
            if (left.Type.IsMoney && right.Type.IsMoney) return CurrencyMismatch(binary.Span, "combine", left.Type, right.Type);
            return Fail(binary.Right.Span, DiagnosticCodes.TypeMismatch,
                $"the default after '??' must be {left.Type.AsRequired()} like the field, but it is {right.Type.AsRequired()}");
        }
        var type = RuleType.Unify(left.Type, right.Type);
        return new BoundCoalesce(binary.Span, right.Type.Optional ? type.AsOptional() : type, left, right);
    }

    private BoundExpr BindIn(InExpr inExpr, ImmutableHashSet<string> narrowed)
    {
        var value = Require(Bind(inExpr.Value, narrowed));
        var items = inExpr.Items.Select(item => Require(Bind(item, narrowed))).ToArray();
        var ok = !value.Type.IsError;
        foreach (var item in items)
        {
            if (item.Type.IsError || value.Type.IsError)
            {
                ok = false;
                continue;
            }
            if (value.Type.IsMoney && item.Type.IsMoney && value.Type.Currency != item.Type.Currency)
            {
                CurrencyMismatch(item.Span, "compare", value.Type, item.Type);
                ok = false;
            }
            else if (!item.Type.IsCompatibleWith(value.Type))
            {
                Error(item.Span, DiagnosticCodes.TypeMismatch, $"every item of the 'in' list must be {value.Type} like the value tested, but this one is {item.Type}");
                ok = false;
            }
        }
        return ok ? new BoundIn(inExpr.Span, value, items, inExpr.Negated) : new BoundErrorExpr(inExpr.Span);
    }

    private BoundExpr BindIf(IfExpr ifExpr, ImmutableHashSet<string> narrowed)
    {
        var condition = Require(Bind(ifExpr.Condition, narrowed));
        var then = Require(Bind(ifExpr.Then, narrowed.Union(PresentWhenTrue(ifExpr.Condition))));
        var otherwise = Require(Bind(ifExpr.Else, narrowed));
        var ok = ExpectBool(condition, "the condition of 'if'");
        if (then.Type.IsError || otherwise.Type.IsError) return new BoundErrorExpr(ifExpr.Span);
        if (!then.Type.IsCompatibleWith(otherwise.Type))
        {
            if (then.Type.IsMoney && otherwise.Type.IsMoney) return CurrencyMismatch(ifExpr.Span, "choose between", then.Type, otherwise.Type);
            return Fail(ifExpr.Else.Span, DiagnosticCodes.TypeMismatch,
                $"both branches of 'if' must have the same type, but 'then' is {then.Type} and 'else' is {otherwise.Type}");
        }
        return ok ? new BoundIf(ifExpr.Span, RuleType.Unify(then.Type, otherwise.Type), condition, then, otherwise) : new BoundErrorExpr(ifExpr.Span);
    }

    private BoundExpr BindCall(CallExpr call, ImmutableHashSet<string> narrowed)
    {
        if (GuardFunctions.TryGetValue(call.Function, out var guardFunction)) return BindGuardCall(call, guardFunction);
        if (!Functions.TryGetValue(call.Function, out var function))
        {
            return Fail(call.Span, DiagnosticCodes.UnknownFunction,
                $"unknown function '{call.Function}'{NameSuggestions.DidYouMean(call.Function, Functions.Keys)}; available: {NameSuggestions.List(Functions.Keys)}");
        }
        var args = call.Arguments.Select(a => Require(Bind(a, narrowed))).ToArray();
        if (args.Any(a => a.Type.IsError)) return new BoundErrorExpr(call.Span);
        var type = CallType(call, function, args);
        return type is null ? new BoundErrorExpr(call.Span) : new BoundCall(call.Span, type, function, args);
    }

    /// <summary>The result type of a builtin call, or null after reporting RB0205.</summary>
    private RuleType? CallType(CallExpr call, BuiltinFunction function, BoundExpr[] args)
    {
        var name = call.Function;
        switch (function)
        {
            case BuiltinFunction.Lower or BuiltinFunction.Upper or BuiltinFunction.Trim:
                return Signature(call, args, "(string)", t => t.Kind == TypeKind.String) ? RuleType.String : null;
            case BuiltinFunction.Len:
                return Signature(call, args, "(string)", t => t.Kind == TypeKind.String) ? RuleType.Integer : null;
            case BuiltinFunction.StartsWith or BuiltinFunction.EndsWith or BuiltinFunction.Contains:
                return Signature(call, args, "(string, string)", t => t.Kind == TypeKind.String, t => t.Kind == TypeKind.String) ? RuleType.Bool : null;
            case BuiltinFunction.Abs:
                return Signature(call, args, "(decimal or money)", IsNumberOrMoney) ? args[0].Type : null;
            case BuiltinFunction.Floor or BuiltinFunction.Ceil:
                if (!Signature(call, args, "(decimal or money)", IsNumberOrMoney)) return null;
                return args[0].Type.IsMoney ? args[0].Type : RuleType.Integer;
            case BuiltinFunction.Min or BuiltinFunction.Max:
                if (!Signature(call, args, "(a, b) with two decimals or two amounts of the same currency", IsNumberOrMoney, IsNumberOrMoney)) return null;
                if (args[0].Type.IsCompatibleWith(args[1].Type)) return RuleType.Unify(args[0].Type, args[1].Type);
                BadArguments(call, $"{name}() needs two decimals or two amounts of the same currency, but got {args[0].Type} and {args[1].Type}");
                return null;
            case BuiltinFunction.Round:
                if (!Signature(call, args, "(x, digits) with x a decimal or money and digits an integer 0..28", IsNumberOrMoney, t => t.IsNumber)) return null;
                if (call.Arguments[1] is not NumberLiteral { Value: var digits } || digits.Scale != 0 || digits < 0 || digits > 28)
                {
                    Error(call.Arguments[1].Span, DiagnosticCodes.BadArguments, "the digits of round() must be an integer literal from 0 to 28, e.g. round(x, 2)");
                    return null;
                }
                return args[0].Type.IsMoney ? args[0].Type : digits == 0 ? RuleType.Integer : RuleType.Decimal;
            case BuiltinFunction.Matches:
                return Signature(call, args, "(string, pattern)", t => t.Kind == TypeKind.String, t => t.Kind == TypeKind.String)
                    && CheckPattern(call) ? RuleType.Bool : null;
            case BuiltinFunction.Substring:
                return Signature(call, args, "(string, start, length)", t => t.Kind == TypeKind.String, t => t.Kind == TypeKind.Integer, t => t.Kind == TypeKind.Integer)
                    ? RuleType.String : null;
            case BuiltinFunction.Split:
                return Signature(call, args, "(string, separator, index)", t => t.Kind == TypeKind.String, t => t.Kind == TypeKind.String, t => t.Kind == TypeKind.Integer)
                    ? RuleType.String : null;
            case BuiltinFunction.EmailDomain:
                return Signature(call, args, "(string)", t => t.Kind == TypeKind.String) ? RuleType.String : null;
            default:
                return Signature(call, args, "(duration)", t => t.Kind == TypeKind.Duration) ? RuleType.Decimal : null;
        }
    }

    /// <summary>
    /// The pattern of <c>matches()</c> is a string literal, compiled once when the rule set is checked: a bad pattern
    /// is a diagnostic at the pattern (RB0210, RB0211), never an error on some event later.
    /// </summary>
    private bool CheckPattern(CallExpr call)
    {
        if (call.Arguments[1] is not StringLiteral literal)
        {
            Error(call.Arguments[1].Span, DiagnosticCodes.BadArguments,
                "the pattern of matches() must be a string literal, e.g. matches(email, \"@example[.]com$\"), so it is checked and compiled once");
            return false;
        }
        if (RulePatterns.TryCreate(literal.Value, out var error, out var needsBacktracking) is not null) return true;
        if (needsBacktracking)
        {
            Error(literal.Span, OutcomeDiagnosticCodes.BacktrackingPattern,
                "this pattern needs backtracking (a backreference, lookaround or atomic group); matches() only takes patterns it can match in time linear in the text");
        }
        else
        {
            Error(literal.Span, OutcomeDiagnosticCodes.InvalidPattern, $"invalid regular expression: {error}");
        }
        return false;
    }

    private static bool IsNumberOrMoney(RuleType t) => t.IsNumber || t.IsMoney;

    private bool Signature(CallExpr call, BoundExpr[] args, string shape, params Func<RuleType, bool>[] parameters)
    {
        if (args.Length != parameters.Length)
        {
            BadArguments(call, $"{call.Function}() takes {parameters.Length} argument{(parameters.Length == 1 ? "" : "s")} {shape}, but got {args.Length}");
            return false;
        }
        for (var i = 0; i < args.Length; i++)
        {
            if (!parameters[i](args[i].Type))
            {
                Error(args[i].Span, DiagnosticCodes.BadArguments, $"{call.Function}{shape}: argument {i + 1} cannot be {args[i].Type}");
                return false;
            }
        }
        return true;
    }

    private void BadArguments(CallExpr call, string message) => Error(call.Span, DiagnosticCodes.BadArguments, message);

    private BoundExpr BindGuardCall(CallExpr call, GuardFunction function)
    {
        if (scope is not GuardScope guard)
        {
            return Fail(call.Span, DiagnosticCodes.UnknownFunction,
                $"{call.Function}() is only available in guard conditions of a pricing");
        }
        if (call.Arguments.Count > 1 || (call.Arguments.Count == 1 && call.Arguments[0] is not NameExpr))
        {
            return Fail(call.Span, DiagnosticCodes.BadArguments,
                $"{call.Function}() takes at most one outcome name, e.g. {call.Function}(resolved_ticket), or none for all outcomes");
        }
        string? outcome = null;
        if (call.Arguments.Count == 1)
        {
            var name = (NameExpr)call.Arguments[0];
            if (!guard.Outcomes.Contains(name.Name))
            {
                return Fail(name.Span, DiagnosticCodes.UnknownOutcome,
                    $"unknown outcome '{name.Name}'{NameSuggestions.DidYouMean(name.Name, guard.Outcomes)}; declared outcomes: {NameSuggestions.List(guard.Outcomes)}");
            }
            outcome = name.Name;
        }
        var type = function is GuardFunction.Revenue or GuardFunction.Cost ? guard.ContractMoney : RuleType.Decimal;
        return new BoundGuardCall(call.Span, type, function, outcome);
    }

    private static readonly Dictionary<string, GuardFunction> GuardFunctions = new(StringComparer.Ordinal)
    {
        ["revenue"] = GuardFunction.Revenue,
        ["cost"] = GuardFunction.Cost,
        ["margin"] = GuardFunction.Margin,
        ["count"] = GuardFunction.Count,
    };

    private static readonly Dictionary<string, BuiltinFunction> Functions = new(StringComparer.Ordinal)
    {
        ["lower"] = BuiltinFunction.Lower,
        ["upper"] = BuiltinFunction.Upper,
        ["trim"] = BuiltinFunction.Trim,
        ["len"] = BuiltinFunction.Len,
        ["startsWith"] = BuiltinFunction.StartsWith,
        ["endsWith"] = BuiltinFunction.EndsWith,
        ["contains"] = BuiltinFunction.Contains,
        ["abs"] = BuiltinFunction.Abs,
        ["min"] = BuiltinFunction.Min,
        ["max"] = BuiltinFunction.Max,
        ["round"] = BuiltinFunction.Round,
        ["floor"] = BuiltinFunction.Floor,
        ["ceil"] = BuiltinFunction.Ceil,
        ["seconds"] = BuiltinFunction.Seconds,
        ["minutes"] = BuiltinFunction.Minutes,
        ["hours"] = BuiltinFunction.Hours,
        ["days"] = BuiltinFunction.Days,
        ["matches"] = BuiltinFunction.Matches,
        ["substring"] = BuiltinFunction.Substring,
        ["split"] = BuiltinFunction.Split,
        ["email_domain"] = BuiltinFunction.EmailDomain,
    };

    /// <summary>Names <c>has(x)</c> proves present when <paramref name="condition"/> is true: its top-level conjuncts.</summary>
    private static IEnumerable<string> PresentWhenTrue(Expr condition) => condition switch
    {
        HasExpr has => [has.Field],  // for has(event.ext.x) the text "event.ext.x", which BindExtension looks up
        BinaryExpr { Op: BinaryOp.And } and => PresentWhenTrue(and.Left).Concat(PresentWhenTrue(and.Right)),
        _ => [],
    };

    /// <summary>Refuses an optional value where a present one is needed (RB0204) and continues with the required type.</summary>
    private BoundExpr Require(BoundExpr bound)
    {
        if (!bound.Type.Optional) return bound;
        var what = bound switch
        {
            BoundFieldRead f => (f.Field.Name, "optional field"),
            BoundDimensionRead d => (d.Name, "dimension"),
            BoundExtensionRead e => ($"event.ext.{e.Name}", "extension attribute"),
            _ => ((string?)null, "value"),
        };
        var message = bound is BoundExtensionRead
            ? $"{what.Item2} '{what.Item1}' may be absent; test it with has({what.Item1}) or give it a default with {what.Item1} ?? \"\""
            : what.Item1 is { } name
            ? $"{what.Item2} '{name}' may be absent; use has({name}) or {name} ?? default"
            : "this value may be absent; give it a default with ?? default";
        Error(bound.Span, DiagnosticCodes.OptionalMayBeAbsent, message);
        return bound with { Type = bound.Type.AsRequired() };
    }

    private bool ExpectBool(BoundExpr bound, string role) => Expect(bound, t => t.Kind == TypeKind.Bool, role, "bool");

    private BoundExpr CurrencyMismatch(TextSpan span, string verb, RuleType a, RuleType b)
    {
        var guardHint = scope is GuardScope { ContractMoney.Currency: { } currency }
            ? $" (revenue() and cost() are in the contract's currency, which is {currency} for contracts billing this pricing in {currency})"
            : "";
        return Fail(span, DiagnosticCodes.CurrencyMismatch,
            $"cannot {verb} {a.AsRequired()} and {b.AsRequired()}: amounts in different currencies never mix; use one currency{guardHint}");
    }

    private static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Equal => "==",
        BinaryOp.NotEqual => "!=",
        BinaryOp.Less => "<",
        BinaryOp.LessOrEqual => "<=",
        BinaryOp.Greater => ">",
        _ => ">=",
    };

    private BoundErrorExpr Fail(TextSpan span, string code, string message)
    {
        Error(span, code, message);
        return new BoundErrorExpr(span);
    }

    private void Error(TextSpan span, string code, string message) => diagnostics.Error(source, span, code, message);
}
