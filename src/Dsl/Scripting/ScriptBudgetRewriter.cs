using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// Injects the <see cref="ScriptBudget"/> checks into a script's code (after it passed the allowlist): a step at every
/// loop back-edge, a step plus a depth level at every local function and lambda entry, a size check on every array
/// creation and built string, and eager evaluation of LINQ operators. The result runs the same as the original
/// unless a bound is crossed.
/// </summary>
internal sealed class ScriptBudgetRewriter(SemanticModel model) : CSharpSyntaxRewriter
{
    private static readonly string Budget = "global::" + typeof(ScriptBudget).FullName;

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
    {
        var visited = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
        return visited.WithStatement(Ticked(visited.Statement));
    }

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
    {
        var visited = (DoStatementSyntax)base.VisitDoStatement(node)!;
        return visited.WithStatement(Ticked(visited.Statement));
    }

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
    {
        var visited = (ForStatementSyntax)base.VisitForStatement(node)!;
        return visited.WithStatement(Ticked(visited.Statement));
    }

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node)
    {
        var visited = (ForEachStatementSyntax)base.VisitForEachStatement(node)!;
        return visited.WithStatement(Ticked(visited.Statement));
    }

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node)
    {
        var visited = (ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!;
        return visited.WithStatement(Ticked(visited.Statement));
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var returnsVoid = model.GetDeclaredSymbol(node) is IMethodSymbol { ReturnsVoid: true };
        var visited = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        var body = Guarded(visited.Body, visited.ExpressionBody?.Expression, returnsVoid);
        return visited.WithBody(body).WithExpressionBody(null).WithSemicolonToken(default);
    }

    public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
    {
        var returnsVoid = model.GetSymbolInfo(node).Symbol is IMethodSymbol { ReturnsVoid: true };
        var visited = (ParenthesizedLambdaExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!;
        return visited.WithBlock(Guarded(visited.Block, visited.ExpressionBody, returnsVoid)).WithExpressionBody(null);
    }

    public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
    {
        var returnsVoid = model.GetSymbolInfo(node).Symbol is IMethodSymbol { ReturnsVoid: true };
        var visited = (SimpleLambdaExpressionSyntax)base.VisitSimpleLambdaExpression(node)!;
        return visited.WithBlock(Guarded(visited.Block, visited.ExpressionBody, returnsVoid)).WithExpressionBody(null);
    }

    public override SyntaxNode? VisitArrayRankSpecifier(ArrayRankSpecifierSyntax node)
    {
        var visited = (ArrayRankSpecifierSyntax)base.VisitArrayRankSpecifier(node)!;
        if (node.Parent is not ArrayTypeSyntax { Parent: ArrayCreationExpressionSyntax }) return visited;
        return visited.WithSizes(SeparatedList(visited.Sizes.Select(size =>
            size is OmittedArraySizeExpressionSyntax ? size : (ExpressionSyntax)Call("Array", size))));
    }

    public override SyntaxNode? VisitBinaryExpression(BinaryExpressionSyntax node)
    {
        // Only the outermost string '+' of a chain: C# concatenates a chain at once, and wrapping every level would
        // nest the rewritten tree twice as deep as the script's own.
        var builds = node.IsKind(SyntaxKind.AddExpression) && IsString(node)
            && !(node.Parent is BinaryExpressionSyntax parent && parent.IsKind(SyntaxKind.AddExpression) && IsString(parent));
        var visited = base.VisitBinaryExpression(node)!;
        return builds ? Call("Text", (ExpressionSyntax)visited) : visited;
    }

    public override SyntaxNode? VisitAssignmentExpression(AssignmentExpressionSyntax node)
    {
        var builds = node.IsKind(SyntaxKind.AddAssignmentExpression) && IsString(node);
        var visited = base.VisitAssignmentExpression(node)!;
        return builds ? Call("Text", (ExpressionSyntax)visited) : visited;
    }

    public override SyntaxNode? VisitInterpolatedStringExpression(InterpolatedStringExpressionSyntax node)
    {
        var visited = base.VisitInterpolatedStringExpression(node)!;
        return Call("Text", (ExpressionSyntax)visited);
    }

    public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        var lazy = model.GetSymbolInfo(node).Symbol is IMethodSymbol method
            && method.ContainingType?.ToDisplayString() == "System.Linq.Enumerable"
            && method.ReturnType is INamedTypeSymbol { IsGenericType: true } returned
            && returned.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.IEnumerable<T>" or "System.Linq.IOrderedEnumerable<TElement>";
        var visited = base.VisitInvocationExpression(node)!;
        return lazy ? Call("Materialize", (ExpressionSyntax)visited) : visited;
    }

    /// <summary>A string computed at run time; constants are bounded by the source already (and may sit in const contexts).</summary>
    private bool IsString(ExpressionSyntax node) =>
        model.GetTypeInfo(node).Type?.SpecialType == SpecialType.System_String && !model.GetConstantValue(node).HasValue;

    private static InvocationExpressionSyntax Call(string method, params ExpressionSyntax[] arguments) =>
        InvocationExpression(ParseExpression($"{Budget}.{method}"),
            ArgumentList(SeparatedList(arguments.Select(a => Argument(a.WithoutTrivia())))));

    private static BlockSyntax Ticked(StatementSyntax body) =>
        Block(ParseStatement($"{Budget}.Tick();"), body);

    /// <summary><c>{ Enter(); try { body } finally { Exit(); } }</c>: the depth level is released however the body ends.</summary>
    private static BlockSyntax Guarded(BlockSyntax? block, ExpressionSyntax? expression, bool returnsVoid)
    {
        var inner = block ?? Block(returnsVoid ? ExpressionStatement(expression!) : ReturnStatement(expression!.WithoutTrivia()));
        return Block(
            ParseStatement($"{Budget}.Enter();"),
            TryStatement(inner, default, FinallyClause(Block(ParseStatement($"{Budget}.Exit();")))));
    }
}
