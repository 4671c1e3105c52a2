using RulesBilling.Dsl.Binding;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// Checks script references while a rule set is bound: scripts must be enabled, their file must be readable, their
/// result type must fit the clause, and the script must compile and pass the allowlist. Every problem is a diagnostic
/// located in the rule file (inline scripts) or the .csx file. The texts of referenced files are kept for the rule-set hash.
/// </summary>
internal sealed class ScriptBinder(CompileOptions options, DiagnosticBag diagnostics)
{
    private readonly SortedDictionary<string, SourceText> _files = new(StringComparer.Ordinal);

    /// <summary>The script files the rule set referenced, by path.</summary>
    public IReadOnlyCollection<SourceText> Files => _files.Values;

    public BoundExpr Bind(ScriptExpr script, SourceText source, BindingScope scope, RuleType? clauseType)
    {
        if (scope is not EventScope { Event: var schema })
        {
            return Fail(source, script.Span, ScriptCodes.NotAllowedHere,
                "a C# script can read an event in an outcome or cost clause, or price a charge as its model; it cannot be used in a charge filter or guard");
        }
        if (script.Returns is { Kind: FieldTypeKind.Money, Currency: var currency } && !Currencies.IsKnown(currency ?? ""))
            return Fail(source, script.Returns.Span, DiagnosticCodes.UnknownCurrency, ExpressionBinder.UnknownCurrencyMessage(currency ?? ""));
        var type = script.Returns is { } returns ? ResultType(returns) : clauseType;
        if (type is null)
        {
            return Fail(source, script.Span, ScriptCodes.NotAllowedHere,
                "this script's result type is not known here; add the result type, e.g. 'returns money USD' or 'returns decimal'");
        }
        var result = Result(type);
        var build = Compile(script.Source, source, script.Span, new EventSurface(schema), result);
        if (build is null) return new BoundErrorExpr(script.Span);

        var location = ModelBuilder.Locate(source, script.Span);
        var limits = options.ScriptLimits;
        var optional = type.Optional;
        return new BoundScriptCall(script.Span, type, e => build.Invoke(e, limits, location)
            ?? (optional ? null : throw new RuleEvaluationException(ScriptCodes.ScriptFailed, "script returned null", location)));
    }

    /// <summary>A charge model computed by a script: the exact amount in the invoice currency.</summary>
    public ScriptModel? BindChargeModel(ScriptChargeClause clause, SourceText source)
    {
        var build = Compile(clause.Source, source, clause.Span, ChargeSurface.Instance, ScriptResult.Decimal);
        if (build is null) return null;
        var location = ModelBuilder.Locate(source, clause.Span);
        var limits = options.ScriptLimits;
        var description = clause.Source is ScriptFileSource file ? $"script {file.Path}" : "inline script";
        return new ScriptModel(input => (decimal)build.Invoke(input, limits, location)!, description);
    }

    private CompiledScript? Compile(ScriptSource reference, SourceText source, TextSpan span, ScriptSurface surface, ScriptResult result)
    {
        if (!options.AllowScripts)
        {
            Error(source, span, ScriptCodes.Disabled,
                "C# scripts are disabled; review the script and enable scripts with --allow-scripts (CompileOptions.AllowScripts)");
            return null;
        }
        if (Code(reference, source) is not var (code, codeSource, offset)) return null;
        var build = options.Cache.GetOrCompile(surface, result, code);
        foreach (var problem in build.Problems)
        {
            var start = offset + problem.Start;
            Error(codeSource, new TextSpan(start, Math.Max(start, offset + problem.End)), problem.Code, problem.Message);
        }
        return build.Script;
    }

    /// <summary>The script's code, the text its positions refer to, and the code's offset in that text.</summary>
    private (string Code, SourceText Source, int Offset)? Code(ScriptSource reference, SourceText source)
    {
        switch (reference)
        {
            case InlineScriptSource inline:
                return (inline.Code, source, inline.CodeSpan.Start);
            case ScriptFileSource file:
                if (!file.Path.EndsWith(".csx", StringComparison.Ordinal))
                {
                    Error(source, file.Span, ScriptCodes.FileUnavailable, $"script file '{file.Path}' must be a .csx file");
                    return null;
                }
                if (options.ScriptFiles?.Invoke(source.Path, file.Path) is not { } found)
                {
                    var why = options.ScriptFiles is null
                        ? "script files are not available for rule sets given as text; inline the script with script \"\"\" ... \"\"\""
                        : "it must be a readable file in the rule file's folder or below it";
                    Error(source, file.Span, ScriptCodes.FileUnavailable, $"cannot read script file '{file.Path}': {why}");
                    return null;
                }
                var text = new SourceText(found.Path, found.Text);
                _files[found.Path] = text;
                return (found.Text, text, 0);
            default:
                throw new ArgumentOutOfRangeException(nameof(reference), reference.GetType().Name, "unknown script source");
        }
    }

    private static RuleType ResultType(TypeSyntax type) => type.Kind switch
    {
        FieldTypeKind.Bool => RuleType.Bool,
        FieldTypeKind.String => RuleType.String,
        FieldTypeKind.Decimal or FieldTypeKind.Integer => RuleType.Decimal,
        FieldTypeKind.Timestamp => RuleType.Timestamp,
        FieldTypeKind.Duration => RuleType.Duration,
        _ => RuleType.Money(type.Currency!),
    };

    private static ScriptResult Result(RuleType type) => type.Kind switch
    {
        TypeKind.Bool => ScriptResult.Bool,
        TypeKind.String => type.Optional ? ScriptResult.OptionalString : ScriptResult.String,
        TypeKind.Timestamp => ScriptResult.Timestamp,
        TypeKind.Duration => ScriptResult.Duration,
        _ => ScriptResult.Decimal,
    };

    private BoundErrorExpr Fail(SourceText source, TextSpan span, string code, string message)
    {
        Error(source, span, code, message);
        return new BoundErrorExpr(span);
    }

    private void Error(SourceText source, TextSpan span, string code, string message) => diagnostics.Error(source, span, code, message);
}
