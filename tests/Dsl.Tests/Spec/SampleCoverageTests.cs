using System.Collections;
using System.Reflection;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Spec;

/// <summary>
/// pricing-rules/README.md promises that the sample rule files together use every construct of the language, so the
/// tour can show all of it. The list of constructs is not written here by hand: it is every concrete syntax node type
/// and every value of every syntax enum (declaration kinds, clauses, pricing and charge items, contract items,
/// expressions, operators, field types, tier modes, guard actions, feature kinds and resets) found by reflection in
/// the Syntax namespace, so a construct added to the grammar fails this test until a sample uses it.
/// </summary>
public sealed class SampleCoverageTests
{
    private static readonly HashSet<Type> NotInSamples =
    [
        // C# scripts are opt-in (--allow-scripts, docs/dsl-spec.md §16): the samples must load without them.
        typeof(ScriptExpr), typeof(ScriptChargeClause), typeof(ScriptFileSource), typeof(InlineScriptSource),
        // `null` parses (a reserved word, §3) but the binder refuses it everywhere (§4), so no valid file holds one.
        typeof(NullLiteral),
    ];

    [Fact]
    public void Every_declaration_kind_is_declared_by_a_sample_rule_file()
    {
        var declared = SampleFiles().SelectMany(f => f.Declarations).Select(d => d.GetType()).ToHashSet();

        var missing = ConcreteSubtypes(typeof(Declaration)).Where(t => !declared.Contains(t)).Select(t => t.Name).ToList();

        Assert.True(missing.Count == 0, "no sample rule file declares: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_syntax_node_enum_value_and_flag_appears_in_the_sample_rule_files()
    {
        var seen = new HashSet<object>();
        foreach (var file in SampleFiles()) Walk(file, seen);

        var missing = RequiredConstructs().Where(c => !seen.Contains(c)).Select(Describe).Order(StringComparer.Ordinal).ToList();

        Assert.True(missing.Count == 0, "no sample rule file uses: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_coverage_walk_finds_what_a_file_contains_and_nothing_else()
    {
        // Guards the reflection walk itself: a tiny file yields exactly its constructs.
        var parsed = RuleParser.Parse(new SourceText("x.rules", "event a.b { n: integer? }\nfeature premium bool\n"));
        Assert.Empty(parsed.Diagnostics);
        var seen = new HashSet<object>();

        Walk(parsed.File, seen);

        Assert.Contains(typeof(FeatureDecl), seen);
        Assert.Contains(FeatureKindSyntax.Bool, seen);
        Assert.Contains(FieldTypeKind.Integer, seen);
        Assert.Contains((typeof(FieldDecl), nameof(FieldDecl.Optional), true), seen);
        Assert.DoesNotContain((typeof(FieldDecl), nameof(FieldDecl.Optional), false), seen);
        Assert.DoesNotContain(typeof(OutcomeDecl), seen);
        Assert.DoesNotContain(FeatureKindSyntax.Integer, seen);
        Assert.Contains(typeof(FeatureDecl), RequiredConstructs());
        Assert.Contains(FeatureResetKind.Iso, RequiredConstructs());
        Assert.Contains((typeof(FeatureLimitSyntax), nameof(FeatureLimitSyntax.Hard), false), RequiredConstructs());
    }

    /// <summary>
    /// Every concrete node type (a record with a span), every value of every enum a node holds, and both values of
    /// every flag a node holds (<c>?</c> on a field, <c>round up</c>/<c>down</c>, <c>in</c>/<c>not in</c>, <c>hard</c>/<c>soft</c>, …).
    /// </summary>
    private static IReadOnlyList<object> RequiredConstructs()
    {
        var nodes = typeof(RuleFile).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(RuleFile).Namespace && t is { IsClass: true, IsAbstract: false, IsNested: false })
            .Where(t => t.GetProperty("Span")?.PropertyType == typeof(TextSpan))
            .Where(t => !NotInSamples.Contains(t))
            .ToList();
        var properties = nodes.SelectMany(t => NodeProperties(t).Select(p => (Type: t, Property: p))).ToList();
        var enums = properties.Select(p => Nullable.GetUnderlyingType(p.Property.PropertyType) ?? p.Property.PropertyType)
            .Where(t => t.IsEnum).Distinct()
            .SelectMany(t => Enum.GetValues(t).Cast<object>());
        var flags = properties.Where(p => p.Property.PropertyType == typeof(bool) && p.Type != typeof(BoolLiteral))
            .SelectMany(p => new object[] { (p.Type, p.Property.Name, true), (p.Type, p.Property.Name, false) });
        return [typeof(RuleFile), .. nodes, .. enums, .. flags];
    }

    private static string Describe(object construct) => construct switch
    {
        Type t => t.Name,
        Enum e => $"{e.GetType().Name}.{e}",
        (Type t, string name, bool value) => $"{t.Name}.{name} = {value}",
        _ => construct.ToString()!,
    };

    private static IEnumerable<RuleFile> SampleFiles()
    {
        foreach (var source in SpecExamples.AllRuleFiles())
        {
            var parsed = RuleParser.Parse(source);
            Assert.Empty(parsed.Diagnostics);
            yield return parsed.File;
        }
    }

    private static IEnumerable<Type> ConcreteSubtypes(Type root) =>
        root.Assembly.GetTypes().Where(t => t is { IsAbstract: false } && root.IsAssignableFrom(t));

    private static IEnumerable<PropertyInfo> NodeProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract");

    private static void Walk(object? node, HashSet<object> seen)
    {
        switch (node)
        {
            case null or string or TextSpan:
                return;
            case IEnumerable items:
                foreach (var item in items) Walk(item, seen);
                return;
        }
        var type = node.GetType();
        if (type.Namespace != typeof(RuleFile).Namespace) return;
        seen.Add(type);
        foreach (var property in NodeProperties(type))
        {
            var value = property.GetValue(node);
            if (value is Enum e) seen.Add(e);
            else if (value is bool flag) seen.Add((type, property.Name, flag));
            else Walk(value, seen);
        }
    }
}
