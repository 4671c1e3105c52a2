using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// Checks every symbol a script's code names and every operation it performs — including implicit ones (conversions,
/// foreach enumerators, operator methods) — against <see cref="ScriptApiPolicy"/>. Symbols the script declares itself
/// (locals, parameters, local functions, lambdas) are allowed when their types are.
/// </summary>
internal static class ScriptSemanticWalker
{
    public static IEnumerable<(TextSpan Span, string Message)> Check(SemanticModel model, MethodDeclarationSyntax run, TextSpan user)
    {
        var problems = new List<(TextSpan, string)>();
        void Deny(SyntaxNode node, string message)
        {
            if (user.Contains(node.SpanStart)) problems.Add((node.Span, message));
        }

        foreach (var node in run.Body!.DescendantNodes())
        {
            switch (node)
            {
                case SimpleNameSyntax or PredefinedTypeSyntax or ArrayTypeSyntax or NullableTypeSyntax or TupleTypeSyntax:
                    CheckSymbol(model.GetSymbolInfo(node).Symbol, node, Deny);
                    break;
                case ForEachStatementSyntax forEach:
                    var info = model.GetForEachStatementInfo(forEach);
                    foreach (var member in new ISymbol?[] { info.GetEnumeratorMethod, info.MoveNextMethod, info.CurrentProperty, info.DisposeMethod })
                        CheckSymbol(member, forEach.Expression, Deny);
                    break;
            }
        }

        if (model.GetOperation(run) is { } body)
        {
            foreach (var operation in body.DescendantsAndSelf())
            {
                if (operation.Syntax is not { } syntax || !user.Contains(syntax.SpanStart)) continue;
                if (ScriptApiPolicy.Why(operation.Type) is { } badType)
                {
                    Deny(syntax, $"type '{badType}' is not available to scripts");
                    continue;
                }
                switch (operation)
                {
                    case IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicObjectCreationOperation or IDynamicIndexerAccessOperation:
                        Deny(syntax, "dynamic is not allowed in scripts");
                        break;
                    case ITypeOfOperation:
                        Deny(syntax, "typeof (reflection) is not allowed in scripts");
                        break;
                    case IEventReferenceOperation:
                        Deny(syntax, "events are not available to scripts");
                        break;
                    case IInvocationOperation invocation:
                        CheckSymbol(invocation.TargetMethod, syntax, Deny);
                        if (ScriptDeterminism.Why(invocation) is { } varies) Deny(syntax, varies);
                        break;
                    case IInterpolationOperation interpolation when ScriptDeterminism.Why(interpolation) is { } formatVaries:
                        Deny(syntax, formatVaries);
                        break;
                    case IObjectCreationOperation { Constructor: { } constructor }:
                        CheckSymbol(constructor, syntax, Deny);
                        break;
                    case IPropertyReferenceOperation property:
                        CheckSymbol(property.Property, syntax, Deny);
                        break;
                    case IFieldReferenceOperation field:
                        CheckSymbol(field.Field, syntax, Deny);
                        break;
                    case IMethodReferenceOperation method:
                        CheckSymbol(method.Method, syntax, Deny);
                        break;
                    case IBinaryOperation { OperatorMethod: { } op }:
                        CheckSymbol(op, syntax, Deny);
                        break;
                    case IUnaryOperation { OperatorMethod: { } op }:
                        CheckSymbol(op, syntax, Deny);
                        break;
                    case IConversionOperation { OperatorMethod: { } op }:
                        CheckSymbol(op, syntax, Deny);
                        break;
                    case ICompoundAssignmentOperation { OperatorMethod: { } op }:
                        CheckSymbol(op, syntax, Deny);
                        break;
                    case IIncrementOrDecrementOperation { OperatorMethod: { } op }:
                        CheckSymbol(op, syntax, Deny);
                        break;
                    case IWithOperation { CloneMethod: { } clone }:
                        CheckSymbol(clone, syntax, Deny);
                        break;
                    case IVariableDeclaratorOperation declarator when ScriptApiPolicy.Why(declarator.Symbol.Type) is { } local:
                        Deny(syntax, $"type '{local}' is not available to scripts");
                        break;
                }
            }
        }

        if (model.GetOperation(run) is { } runOperation)
        {
            foreach (var (at, message) in ScriptStackCheck.Check(runOperation)) Deny(at, message);
        }
        return OnePerPlace(problems);
    }

    /// <summary>A name and the expression around it report the same fact: keep one per overlapping span and message.</summary>
    private static List<(TextSpan Span, string Message)> OnePerPlace(List<(TextSpan Span, string Message)> problems)
    {
        var kept = new List<(TextSpan Span, string Message)>();
        foreach (var problem in problems.OrderBy(p => p.Span.Start).ThenByDescending(p => p.Span.Length))
        {
            if (!kept.Exists(k => k.Message == problem.Message && k.Span.OverlapsWith(problem.Span))) kept.Add(problem);
        }
        return kept;
    }

    private static void CheckSymbol(ISymbol? symbol, SyntaxNode at, Action<SyntaxNode, string> deny)
    {
        switch (symbol)
        {
            case null or INamespaceSymbol or ILabelSymbol or IDiscardSymbol:
                return;
            case ILocalSymbol local:
                if (ScriptApiPolicy.Why(local.Type) is { } localType) deny(at, $"type '{localType}' is not available to scripts");
                return;
            case IParameterSymbol parameter:
                if (ScriptApiPolicy.Why(parameter.Type) is { } parameterType) deny(at, $"type '{parameterType}' is not available to scripts");
                return;
            case IRangeVariableSymbol:
                return;
            case IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction } function:
                if (ScriptApiPolicy.SignatureProblem(function) is { } signature) deny(at, signature);
                return;
            case ITypeSymbol type:
                if (ScriptApiPolicy.Why(type) is { } badType) deny(at, $"type '{badType}' is not available to scripts");
                return;
            default:
                if (ScriptApiPolicy.WhyMember(symbol) is { } reason) deny(at, reason);
                return;
        }
    }
}
