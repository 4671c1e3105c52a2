using System.Globalization;
using System.Text.Json;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Runtime;

namespace RulesBilling.Dsl.Tests.Spec;

/// <summary>
/// The sample events of pricing-rules/samples/ are what the README's hand-computed invoices are based on, so
/// they must be what the README says: CloudEvents 1.0 for types their rule file declares, within Jan–Mar 2026,
/// with an exact resend, and with exactly the deliberately schema-invalid events rejected by the real binder.
/// </summary>
public sealed class SampleEventsTests
{
    private static readonly DateTimeOffset SamplesFrom = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SamplesUntil = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string[]> Samples() => new()
    {
        // rule file → the fields whose values are deliberately invalid, in file order
        { "support_agent", ["csat"] },
        { "sales_agent", ["score", "deal_value"] },
        { "content_agent", ["words"] },
        { "hybrid_platform", ["steps"] },
        { "multi_agent_workflow", ["pages"] },
        { "agent_workspace", ["gb"] },
        { "translation_agent", ["pages"] },
        { "lead_gen_agent", ["amount"] },
        { "research_agent", ["sources"] },
        { "code_review_agent", ["files_changed"] },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_events_match_their_rule_file(string name, string[] invalidFields)
    {
        var compiled = RuleSetCompiler.Compile([SpecExamples.RuleFile(name + ".rules")]);
        Assert.Empty(compiled.Diagnostics);
        var events = compiled.RuleSet!.Events;
        var lines = File.ReadAllLines(Path.Combine(SpecExamples.PricingRulesFolder, "samples", name + ".jsonl"));

        var rejections = new List<string>();
        var identities = new List<(string Source, string Id)>();
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.Equal("1.0", root.GetProperty("specversion").GetString());
            var id = root.GetProperty("id").GetString()!;
            var source = root.GetProperty("source").GetString()!;
            var subject = root.GetProperty("subject").GetString()!;
            var time = DateTimeOffset.Parse(root.GetProperty("time").GetString()!, CultureInfo.InvariantCulture);
            Assert.InRange(time, SamplesFrom, SamplesUntil.AddTicks(-1));
            Assert.True(events.TryGetValue(root.GetProperty("type").GetString()!, out var schema), $"undeclared type in {line}");
            identities.Add((source, id));

            var bound = EventBinder.TryBind(schema!, id, source, subject, time, root.GetProperty("data"), out var error);
            if (bound is null) rejections.Add(error!);
        }

        Assert.InRange(lines.Length, 20, 200);
        Assert.True(identities.Count > identities.Distinct().Count(), $"{name}: the sample should contain an exact resend");
        Assert.Equal(invalidFields.Length, rejections.Count);
        Assert.All(invalidFields.Zip(rejections), pair => Assert.Contains($"'{pair.First}'", pair.Second));
    }
}
