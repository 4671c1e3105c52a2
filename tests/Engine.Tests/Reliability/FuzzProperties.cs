using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Tests.Reliability;

/// <summary>
/// Bounded fuzzing with FsCheck generators (seed, mutation count): the DSL compiler and the event ingestion path
/// answer any input with diagnostics or per-event reasons, never with an exception.
/// </summary>
public sealed partial class FuzzProperties
{
    [Property(MaxTest = 150)]
    public bool Mutated_rule_files_compile_or_give_located_diagnostics(NonNegativeInt seed, PositiveInt mutations, NonNegativeInt file)
    {
        var original = FuzzCorpus.RuleFiles[file.Get % FuzzCorpus.RuleFiles.Count];
        var text = FuzzCorpus.Mutate(original, seed.Get, mutations.Get);
        var compilation = RuleSetCompiler.Compile([new SourceText("fuzz.rules", text)]);
        if (compilation.RuleSet is not null) return true;

        var errors = compilation.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return errors.Count > 0
            && errors.All(d => DiagnosticCode().IsMatch(d.Code))
            && errors.All(d => RenderedLine().IsMatch(d.ToString()));
    }

    [Property(MaxTest = 150)]
    public bool Arbitrary_text_never_throws_from_the_compiler(string? text) =>
        RuleSetCompiler.Compile([new SourceText("any.rules", text ?? "")]) is { } c && (c.RuleSet is not null || c.Diagnostics.Count > 0);

    private static readonly string[] JsonTokens =
        ["{", "}", "[", "]", "\"", ",", ":", "null", "true", "1e400", "-0", "\\u0000", "\\", "\uD800", "\"time\":\"0000-00-00\"", "\"data\":[]", "\"specversion\":\"2.0\""];

    [Property(MaxTest = 150)]
    public bool Mutated_event_batches_are_ingested_or_rejected_never_thrown(NonNegativeInt seed, PositiveInt mutations)
    {
        var rules = RuleSetCompiler.Compile([new SourceText("r.rules", FuzzCorpus.RuleFiles[0])]).RuleSet!;
        var schema = rules.Events.Values.First();
        var fields = string.Join(",", schema.Fields.Select(f => $"\"{f.Name}\":" + (f.Type is Dsl.Model.FieldType.String ? "\"v\"" : f.Type is Dsl.Model.FieldType.Bool ? "false" : "1")));
        var valid = $"{{\"specversion\":\"1.0\",\"id\":\"e{seed.Get}\",\"source\":\"//fuzz\",\"type\":\"{schema.Name}\",\"subject\":\"c\",\"time\":\"2026-01-05T00:00:00Z\",\"data\":{{{fields}}}}}";
        var batch = FuzzCorpus.Mutate("[" + valid + "," + valid.Replace("\"e", "\"f", StringComparison.Ordinal) + "]", seed.Get, mutations.Get, JsonTokens);

        using var store = new InMemoryBillingStore();
        var ingestor = new EventIngestor(store, TimeProvider.System);
        var result = ingestor.Ingest(Tenant.Default, batch, rules);
        var lines = ingestor.IngestJsonLines(Tenant.Default, new StringReader(batch.Replace("},{", "}\n{", StringComparison.Ordinal)), rules);
        return (result.Error is not null || result.Events.All(e => e.Status != EventStatus.Rejected || !string.IsNullOrWhiteSpace(e.Reason)))
            && lines.Events.All(e => e.Status != EventStatus.Rejected || !string.IsNullOrWhiteSpace(e.Reason));
    }

    [GeneratedRegex("^RB[0-9]{4}$")]
    private static partial Regex DiagnosticCode();

    [GeneratedRegex(@"^.+:\d+:\d+: (error|warning) RB[0-9]{4}: .+$")]
    private static partial Regex RenderedLine();
}
