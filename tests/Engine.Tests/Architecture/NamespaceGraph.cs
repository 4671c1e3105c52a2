namespace RulesBilling.Engine.Tests.Architecture;

/// <summary>
/// Which top-level namespaces under one root use which: `RulesBilling.Engine.Storage.Postgres` counts as
/// `RulesBilling.Engine.Storage`, because a folder and its subfolders are one room. Each edge keeps the type pairs that
/// make it, so a failing test names the lines to move.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> edges = new(StringComparer.Ordinal);

    public static NamespaceGraph Of(IEnumerable<TypeDependency> dependencies, string root)
    {
        var graph = new NamespaceGraph();
        foreach (var d in dependencies)
        {
            var from = Slice(d.FromNamespace, root);
            var to = Slice(d.ToNamespace, root);
            if (from is not null && to is not null && from != to)
                graph.Add(from, to, $"{d.FromType} -> {d.ToType}");
        }
        return graph;
    }

    public void Add(string from, string to, string because)
    {
        if (!edges.TryGetValue(from, out var targets))
            edges[from] = targets = new(StringComparer.Ordinal);
        if (!targets.TryGetValue(to, out var reasons))
            targets[to] = reasons = new(StringComparer.Ordinal);
        reasons.Add(because);
        if (!edges.ContainsKey(to))
            edges[to] = new(StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Nodes => edges.Keys;

    public IEnumerable<string> Targets(string from) => edges.TryGetValue(from, out var t) ? t.Keys : [];

    public IReadOnlyCollection<string> Reasons(string from, string to) =>
        edges.TryGetValue(from, out var t) && t.TryGetValue(to, out var r) ? r : [];

    /// <summary>Pairs of namespaces that use each other, "A<->B" with A before B in ordinal order.</summary>
    public IReadOnlyList<string> MutualPairs() =>
        [.. from a in Nodes from b in Targets(a)
            where string.CompareOrdinal(a, b) < 0 && Targets(b).Contains(a)
            select $"{Short(a)}<->{Short(b)}"];

    /// <summary>
    /// Strongly connected components with more than one namespace (Tarjan): each is a knot of namespaces that reach
    /// each other, so none of them can be understood, tested or moved to its own project without the others.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var found = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in Targets(node))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                    low[node] = Math.Min(low[node], index[next]);
            }
            if (low[node] != index[node])
                return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            } while (member != node);
            if (component.Count > 1)
                found.Add([.. component.Order(StringComparer.Ordinal)]);
        }

        foreach (var node in Nodes)
            if (!index.ContainsKey(node))
                Visit(node);
        return [.. found.OrderBy(c => c[0], StringComparer.Ordinal)];
    }

    /// <summary>The edges inside one cycle, "A -> B" by last namespace segment.</summary>
    public IEnumerable<string> CycleEdges(IReadOnlyList<string> cycle) =>
        from a in cycle from b in Targets(a) where cycle.Contains(b) select $"{Short(a)} -> {Short(b)}";

    /// <summary>Every edge inside a cycle with the type pairs behind it, for a failure message.</summary>
    public string Explain(IReadOnlyList<string> cycle) =>
        string.Join("\n", from a in cycle from b in Targets(a) where cycle.Contains(b)
            select $"  {Short(a)} -> {Short(b)}: {string.Join("; ", Reasons(a, b).Take(3))}");

    private static string? Slice(string ns, string root)
    {
        if (ns == root)
            return root;
        if (!ns.StartsWith(root + ".", StringComparison.Ordinal))
            return null;
        var rest = ns[(root.Length + 1)..];
        var dot = rest.IndexOf('.');
        return root + "." + (dot < 0 ? rest : rest[..dot]);
    }

    private static string Short(string ns) => ns[(ns.LastIndexOf('.') + 1)..];
}
