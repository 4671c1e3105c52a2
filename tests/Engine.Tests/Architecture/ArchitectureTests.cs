using RulesBilling.Dsl.Compilation;
using RulesBilling.Engine.Billing;

namespace RulesBilling.Engine.Tests.Architecture;

/// <summary>
/// The layering of docs/architecture.md, checked on the built assemblies: the DSL knows nothing of billing, storage,
/// payment providers or HTTP; the engine knows nothing of the Host; and no two namespaces of one assembly use each
/// other, directly or around a loop.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly string DslAssembly = typeof(CompileOptions).Assembly.Location;
    private static readonly string EngineAssembly = typeof(InvoiceLifecycle).Assembly.Location;

    private static readonly LayerRule Dsl = new(
        "RulesBilling.Dsl",
        ["RulesBilling.Engine", "RulesBilling.Host", "rulesbilling", "LiteDB", "Npgsql", "Stripe.net", "Polly", "System.Net.Http", "Microsoft.AspNetCore"],
        ["RulesBilling.Engine", "RulesBilling.Host", "LiteDB", "Npgsql", "Stripe", "Polly", "System.Net.Http", "Microsoft.AspNetCore"]);

    private static readonly LayerRule Engine = new(
        "RulesBilling.Engine",
        ["RulesBilling.Host", "rulesbilling", "Microsoft.AspNetCore"],
        ["RulesBilling.Host", "Microsoft.AspNetCore"]);

    [Fact]
    public void The_dsl_uses_no_engine_host_storage_payment_provider_or_http() =>
        Assert.Empty(Dsl.Violations(DslAssembly));

    [Fact]
    public void The_engine_uses_nothing_of_the_host() =>
        Assert.Empty(Engine.Violations(EngineAssembly));

    [Fact]
    public void Engine_namespaces_form_no_cycle_but_the_recorded_ones() =>
        AssertCycleEdges(EngineAssembly, "RulesBilling.Engine", KnownCycles.Engine);

    [Fact]
    public void Dsl_namespaces_form_no_cycle_but_the_recorded_ones() =>
        AssertCycleEdges(DslAssembly, "RulesBilling.Dsl", KnownCycles.Dsl);

    [Fact]
    public void The_dependency_reader_sees_signatures_and_method_bodies()
    {
        // Guards against a reader that finds nothing and so passes every rule: the billing use cases' fields and calls reach
        // Rating and Invoicing, and the DSL's compiler reaches its binder.
        var engine = NamespaceGraph.Of(TypeDependencies.Of(EngineAssembly), "RulesBilling.Engine");
        Assert.Contains("RulesBilling.Engine.Invoicing", engine.Targets("RulesBilling.Engine.Billing"));
        var dsl = NamespaceGraph.Of(TypeDependencies.Of(DslAssembly), "RulesBilling.Dsl");
        Assert.Contains("RulesBilling.Dsl.Binding", dsl.Targets("RulesBilling.Dsl.Compilation"));
    }

    [Fact]
    public void A_forbidden_assembly_or_namespace_is_reported()
    {
        var violations = Dsl.Violations(
            ["System.Runtime", "LiteDB"],
            [
                new("RulesBilling.Dsl.Binding", "RulesBilling.Dsl.Binding.Binder", "System.Collections.Generic", "System.Collections.Generic.List`1"),
                new("RulesBilling.Dsl.Binding", "RulesBilling.Dsl.Binding.Binder", "System.Net.Http", "System.Net.Http.HttpClient"),
            ]);
        Assert.Equal(
            ["RulesBilling.Dsl references assembly LiteDB",
             "RulesBilling.Dsl: RulesBilling.Dsl.Binding.Binder uses System.Net.Http.HttpClient"],
            violations);
    }

    [Fact]
    public void A_cycle_around_three_namespaces_is_found_and_a_chain_is_not()
    {
        var graph = new NamespaceGraph();
        graph.Add("A", "B", "a -> b");
        graph.Add("B", "C", "b -> c");
        graph.Add("C", "A", "c -> a");
        graph.Add("D", "A", "d -> a");
        graph.Add("D", "E", "d -> e");
        Assert.Equal([["A", "B", "C"]], graph.Cycles());
        Assert.Empty(graph.MutualPairs());

        var chain = new NamespaceGraph();
        chain.Add("A", "B", "a -> b");
        chain.Add("B", "C", "b -> c");
        chain.Add("A", "C", "a -> c");
        Assert.Empty(chain.Cycles());
    }

    [Fact]
    public void Every_engine_cycle_recorded_before_the_fix_is_found()
    {
        // The edges that tied the engine's namespaces into one knot at commit 7fff0cf, as this reader saw them: the
        // detector must find the knot and each pair that used each other, so reintroducing any of them fails.
        var graph = new NamespaceGraph();
        foreach (var edge in KnownCycles.EngineAt7fff0cf)
        {
            var (from, to) = KnownCycles.Split(edge);
            graph.Add(from, to, edge);
        }
        Assert.Single(graph.Cycles());
        Assert.Equal(KnownCycles.EnginePairsAt7fff0cf, graph.MutualPairs());
    }

    /// <summary>
    /// The cycle edges still present are exactly the recorded ones: a new one fails (it ties more of the code
    /// together), and a removed one fails too until it is struck from <see cref="KnownCycles"/>, so the list only shrinks.
    /// </summary>
    private static void AssertCycleEdges(string assembly, string root, IReadOnlyList<string> known)
    {
        var graph = NamespaceGraph.Of(TypeDependencies.Of(assembly), root);
        var cycles = graph.Cycles();
        var edges = cycles.SelectMany(graph.CycleEdges).Order(StringComparer.Ordinal).ToList();
        Assert.True(edges.SequenceEqual(known.Order(StringComparer.Ordinal)),
            $"new cycle edges: {string.Join(", ", edges.Except(known))}\n"
            + $"gone (strike them from KnownCycles): {string.Join(", ", known.Except(edges))}\n"
            + $"namespaces using each other: {string.Join(", ", graph.MutualPairs())}\n"
            + string.Join("\n", cycles.Select(c => $"cycle {string.Join(" / ", c)}:\n{graph.Explain(c)}")));
    }
}
