using System.Text.Json.Nodes;
using RulesBilling.Host.Tests.Cli;

namespace RulesBilling.Host.Tests.Entitlements;

/// <summary>
/// The entitlements of pricing-rules/README.md ("Expected entitlements: acme-retail"), reproduced through the real
/// CLI on the shipped rule set and sample events, the way the README tour runs it.
/// </summary>
public sealed class SampleEntitlementsTests
{
    [Theory]
    // feature, at, usage, limit, remaining, overage, access
    [InlineData("resolutions", "2026-01-20T18:00:00Z", "17", "20", "3", "0", true)]
    [InlineData("resolutions", "2026-01-31T23:00:00Z", "20", "20", "0", "0", false)]
    [InlineData("chat_sessions", "2026-01-20T18:00:00Z", "7", "5", "0", "2", true)]
    [InlineData("chat_sessions", "2026-01-31T23:00:00Z", "0", "5", "5", "0", true)]
    [InlineData("llm_calls", "2026-01-20T18:00:00Z", "6", "200", "194", "0", true)]
    [InlineData("llm_calls", "2026-01-31T23:00:00Z", "8", "200", "192", "0", true)]
    public void Metered_features_of_the_support_sample_match_the_readme(
        string feature, string at, string usage, string limit, string remaining, string overage, bool access)
    {
        var features = Features(at);

        var f = features.Single(x => x!["feature"]!.GetValue<string>() == feature)!;
        Assert.Equal((usage, limit, remaining, overage, access),
            (f["usage"]!.GetValue<string>(), f["limit"]!.GetValue<string>(), f["remaining"]!.GetValue<string>(),
             f["overage"]!.GetValue<string>(), f["hasAccess"]!.GetValue<bool>()));
    }

    [Fact]
    public void Static_features_of_the_support_sample_match_the_readme()
    {
        var features = Features("2026-01-20T18:00:00Z");

        JsonNode Get(string name) => features.Single(x => x!["feature"]!.GetValue<string>() == name)!;
        Assert.True(Get("human_handoff")["enabled"]!.GetValue<bool>());
        Assert.Equal("3", Get("max_agents")["number"]!.GetValue<string>());
        Assert.Equal("4.5", Get("first_response_hours")["number"]!.GetValue<string>());
        Assert.Equal("community", Get("support_tier")["text"]!.GetValue<string>());
        Assert.Equal("2026-01-21T00:00:00+00:00", Get("chat_sessions")["resetsAt"]!.GetValue<string>());
    }

    private static JsonArray Features(string at)
    {
        var result = CliProcess.Run(CliProcess.RepoRoot, "entitlements", "--rules", "pricing-rules",
            "--events", "pricing-rules/samples/support_agent.jsonl", "--customer", "acme-retail", "--at", at, "--format", "json");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var document = JsonNode.Parse(result.Stdout)!;
        Assert.Equal(("support_selfserve", 1), (document["contract"]!.GetValue<string>(), document["version"]!.GetValue<int>()));
        return document["features"]!.AsArray();
    }
}
