namespace RulesBilling.Dsl.Binding;

/// <summary>Walks bound expression trees.</summary>
internal static class BoundTree
{
    public static IEnumerable<BoundExpr> Children(BoundExpr node) => node switch
    {
        BoundHas h => [h.Target],
        BoundUnary u => [u.Operand],
        BoundBinary b => [b.Left, b.Right],
        BoundCoalesce c => [c.Left, c.Right],
        BoundIn i => [i.Value, .. i.Items],
        BoundIf f => [f.Condition, f.Then, f.Else],
        BoundCall c => c.Arguments,
        _ => [],
    };

    public static IEnumerable<BoundExpr> DescendantsAndSelf(BoundExpr node)
    {
        yield return node;
        foreach (var child in Children(node))
        {
            foreach (var descendant in DescendantsAndSelf(child)) yield return descendant;
        }
    }
}
