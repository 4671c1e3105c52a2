using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// Refuses constructs by their syntax alone, before any binding: directives (<c>#r</c>, <c>#load</c>…), unsafe code,
/// reflection-like operators, exception handling (a script must not catch the budget's abort), locks, goto, async,
/// iterators and query syntax (whose hidden lambdas would escape the step budget).
/// </summary>
internal static class ScriptSyntaxGuard
{
    public static IEnumerable<(TextSpan Span, string Message)> Check(SyntaxNode root, TextSpan user)
    {
        foreach (var trivia in root.DescendantTrivia(user, descendIntoTrivia: true))
        {
            if (trivia.IsDirective && user.Contains(trivia.SpanStart))
                yield return (trivia.Span, $"directive '{trivia.ToString().Trim()}' is not allowed in scripts (no #r, #load or other directives)");
        }
        foreach (var token in root.DescendantTokens(user))
        {
            if (!user.Contains(token.SpanStart)) continue;
            var word = token.Kind() switch
            {
                SyntaxKind.UnsafeKeyword => "unsafe",
                SyntaxKind.ExternKeyword => "extern",
                SyntaxKind.AsyncKeyword when token.Parent is LocalFunctionStatementSyntax or LambdaExpressionSyntax => "async",
                SyntaxKind.VolatileKeyword => "volatile",
                _ => null,
            };
            if (word is not null) yield return (token.Span, $"'{word}' is not allowed in scripts");
        }
        foreach (var node in root.DescendantNodes(user))
        {
            if (!user.Contains(node.SpanStart)) continue;
            if (Refused(node) is { } what) yield return (node.Span, $"{what} is not allowed in scripts");
        }
    }

    private static string? Refused(SyntaxNode node) => node.Kind() switch
    {
        SyntaxKind.UnsafeStatement or SyntaxKind.FixedStatement or SyntaxKind.PointerType or SyntaxKind.FunctionPointerType
            or SyntaxKind.AddressOfExpression or SyntaxKind.PointerIndirectionExpression or SyntaxKind.PointerMemberAccessExpression
            or SyntaxKind.StackAllocArrayCreationExpression or SyntaxKind.ImplicitStackAllocArrayCreationExpression
            or SyntaxKind.SizeOfExpression => "unsafe code",
        SyntaxKind.TypeOfExpression => "typeof (reflection)",
        SyntaxKind.MakeRefExpression or SyntaxKind.RefTypeExpression or SyntaxKind.RefValueExpression
            or SyntaxKind.ArgListExpression => "__makeref/__reftype/__refvalue/__arglist",
        SyntaxKind.TryStatement or SyntaxKind.ThrowStatement or SyntaxKind.ThrowExpression => "exception handling (try, catch, throw)",
        SyntaxKind.LockStatement => "lock (threads)",
        SyntaxKind.UsingStatement => "using",
        SyntaxKind.LocalDeclarationStatement when ((LocalDeclarationStatementSyntax)node).UsingKeyword.IsKind(SyntaxKind.UsingKeyword) => "using",
        SyntaxKind.GotoStatement or SyntaxKind.GotoCaseStatement or SyntaxKind.GotoDefaultStatement or SyntaxKind.LabeledStatement => "goto and labels",
        SyntaxKind.YieldReturnStatement or SyntaxKind.YieldBreakStatement => "yield (iterators)",
        SyntaxKind.AwaitExpression => "await",
        SyntaxKind.QueryExpression => "query syntax (use method calls such as Where and Select)",
        SyntaxKind.AttributeList => "an attribute",
        SyntaxKind.AnonymousMethodExpression => "an anonymous method (use a lambda)",
        SyntaxKind.SpreadElement => "a spread element",
        SyntaxKind.LocalFunctionStatement when ((LocalFunctionStatementSyntax)node).TypeParameterList is not null =>
            "a generic local function (calling itself with ever larger type arguments overflows the stack)",
        _ => null,
    };
}
