using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RulesBilling.Host.Tests.Cli;

namespace RulesBilling.Host.Tests.Api;

/// <summary>
/// The lead-generation sample through the real HTTP server and a LiteDB file: a hard bounce that arrives after January
/// was finalized disqualifies a billed lead (docs/dsl-spec.md §7.8), and corrections reverse and rebill the line (§10.8).
/// </summary>
public sealed class OutcomeRulesEndToEndTests
{
    private static readonly string Rules = File.ReadAllText(Path.Combine(CliProcess.RepoRoot, "pricing-rules", "lead_gen_agent.rules"));

    private static readonly string[] Sample = File.ReadAllLines(Path.Combine(CliProcess.RepoRoot, "pricing-rules", "samples", "lead_gen_agent.jsonl"));

    private static IEnumerable<JsonNode> Lines(JsonNode invoice) => invoice["lines"]!.AsArray().Select(l => l!);

    private static decimal Amount(JsonNode node, string field = "amount") => decimal.Parse(node[field]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_late_hard_bounce_disqualifies_a_billed_lead_and_corrections_reverse_and_rebill_its_line()
    {
        await using var server = await ApiServer.StartAsync();
        var client = await server.TenantAsync("acme");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(Rules))).StatusCode);

        // Everything but the schema-invalid event and ann@acme.io's bounce of 02-10.
        var early = Sample.Where(l => !l.Contains("\"lg-0011\"", StringComparison.Ordinal) && !l.Contains("\"mb-0003\"", StringComparison.Ordinal)).ToArray();
        var accepted = await ApiServer.ReadJsonAsync(await client.PostAsync("/v1/events", EventTests.Batch(early)));
        Assert.Equal(0, accepted["rejected"]?.GetValue<int>() ?? 0);

        var finalized = await client.PostAsJsonAsync("/v1/customers/brightfunnel/invoices/finalize", new { periodFrom = "2026-01-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.OK, finalized.StatusCode);
        var january = await ApiServer.ReadJsonAsync(finalized);
        // 99 + 3 enterprise × 40 + 4 qualified × 15 (ann@acme.io still counts).
        Assert.Equal(279.00m, Amount(january, "total"));
        var qualified = Lines(january).Single(l => l["description"]!.GetValue<string>() == "Qualified lead");
        Assert.Equal(60.00m, Amount(qualified));
        // Exclusions of an outcome priced by two charges are listed once, on its first line.
        Assert.Contains(Lines(january).SelectMany(l => l["excluded"]!.AsArray()), x => x!["id"]!.GetValue<string>() == "//agent/enricher/lg-0012"
            && x["reason"]!.GetValue<string>() == "disqualified");

        var bounce = Sample.Single(l => l.Contains("\"mb-0003\"", StringComparison.Ordinal));
        Assert.Equal(1, (await ApiServer.ReadJsonAsync(await client.PostAsync("/v1/events", EventTests.Batch(bounce))))["accepted"]!.GetValue<int>());

        var corrections = (await ApiServer.ReadJsonAsync(await client.PostAsync("/v1/customers/brightfunnel/corrections", null))).AsArray();
        Assert.Equal(["credit-note", "adjustment"], corrections.Select(c => c!["kind"]!.GetValue<string>()));
        var reversal = Lines(corrections[0]!).Single();
        Assert.Equal(-60.00m, Amount(reversal));
        Assert.Equal("Reversal: Qualified lead", reversal["description"]!.GetValue<string>());
        Assert.Contains(reversal["excluded"]!.AsArray(), x => x!["id"]!.GetValue<string>() == "//crm/hubspot/lg-0001"
            && x["reason"]!.GetValue<string>() == "disqualified");
        var rebill = Lines(corrections[1]!).Single();
        Assert.Equal(45.00m, Amount(rebill));
        Assert.Equal("Rebill: Qualified lead", rebill["description"]!.GetValue<string>());

        // A second run finds nothing left: billed so far is the re-rated 264.00.
        Assert.Empty((await ApiServer.ReadJsonAsync(await client.PostAsync("/v1/customers/brightfunnel/corrections", null))).AsArray());
    }
}
