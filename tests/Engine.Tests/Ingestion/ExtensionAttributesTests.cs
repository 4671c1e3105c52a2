using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Storage.Postgres;
using RulesBilling.Engine.Tests.Storage;
using static RulesBilling.Engine.Tests.Ingestion.CloudEvents;

namespace RulesBilling.Engine.Tests.Ingestion;

/// <summary>
/// CloudEvents extension attributes (every top-level attribute the spec does not define) are kept on the stored
/// event and read by rules as event.ext.NAME, on every store and in the outcome state kept at ingestion.
/// </summary>
public sealed class ExtensionAttributesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private const string Trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static readonly CompiledRuleSet Traced = Compile("""
        event call.completed {
          minutes: decimal
          agent: string
        }

        outcome traced_call from call.completed {
          when has(event.ext.traceparent)
          key agent + "/" + event.id
          quantity minutes
          dimensions { region: event.ext.tenantregion ?? "us" }
        }
        """);

    private static CompiledRuleSet Compile(string text)
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("traced.rules", text)]);
        Assert.True(compilation.Success, compilation.Render());
        return compilation.RuleSet!;
    }

    private static string Extended(string id, string extensionsJson) => Call(id)[..^1] + "," + extensionsJson + "}";

    [Fact]
    public void Structured_and_batch_events_keep_their_extensions_as_text_and_spec_attributes_are_not_extensions()
    {
        var store = new InMemoryBillingStore();
        var ingestor = new EventIngestor(store, new TestClock(Now));

        ingestor.Ingest("t1", Extended("one", $"\"traceparent\":\"{Trace}\",\"datacontenttype\":\"application/json\""), TestRules.Calls);
        var batch = ingestor.Ingest("t1", Batch(
            Extended("two", "\"tenantregion\":\"eu\",\"retries\":3,\"sampled\":true,\"gone\":null"),
            Call("three")), TestRules.Calls);

        Assert.Equal(2, batch.Accepted);
        var stored = store.ReadEvents("t1").ToDictionary(e => e.Id);
        Assert.Equal([new("traceparent", Trace)], stored["one"].Extensions.ToArray());
        Assert.Equal(
            [new("retries", "3"), new("sampled", "true"), new("tenantregion", "eu")],
            stored["two"].Extensions.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray());
        Assert.Empty(stored["three"].Extensions);
    }

    [Theory]
    [InlineData("{\"a\":1}", "an object")]
    [InlineData("[1]", "an array")]
    public void An_extension_that_is_not_a_string_integer_or_boolean_is_rejected_with_its_reason(string raw, string kind)
    {
        var store = new InMemoryBillingStore();

        var result = new EventIngestor(store, new TestClock(Now)).Ingest("t1", Extended("e1", "\"traceparent\":" + raw), TestRules.Calls);

        Assert.Equal($"extension attribute 'traceparent' must be a string, integer or boolean, not {kind}", Assert.Single(result.Events).Reason);
        Assert.Single(store.ReadRejected("t1"));
        Assert.Empty(store.ReadEvents("t1"));
    }

    [Fact]
    public void A_condition_on_event_ext_counts_traced_events_and_excludes_the_others_incremental_equal_to_recomputed()
    {
        using var store = new InMemoryBillingStore();
        Ingest(store);

        AssertTracedOnly(store);
    }

    [Fact]
    public void Extensions_survive_a_LiteDB_restart_and_the_rule_still_reads_them()
    {
        using var directory = new TempDirectory();
        var path = directory.File("billing.db");
        using (var store = new LiteDbBillingStore(path)) Ingest(store);

        using var reopened = new LiteDbBillingStore(path);
        AssertTracedOnly(reopened);
    }

    [Fact]
    public void Extensions_are_stored_and_read_again_by_a_new_PostgreSQL_instance()
    {
        using var database = new PostgresTestDatabase();
        using (var store = PostgresBillingStore.Open(database.ConnectionString)) Ingest(store);

        using var reopened = PostgresBillingStore.Open(database.ConnectionString);
        Assert.Equal(Trace, reopened.ReadEvents("t1").Single(e => e.Id == "traced").Extensions["traceparent"]);
        AssertTracedOnly(reopened);
    }

    private static void Ingest(IBillingStore store)
    {
        var result = new EventIngestor(store, new TestClock(Now)).Ingest("t1", Batch(
            Extended("traced", $"\"traceparent\":\"{Trace}\",\"tenantregion\":\"eu\""),
            Extended("traced-default-region", $"\"traceparent\":\"{Trace}\""),
            Call("untraced")), Traced);
        Assert.Equal(3, result.Accepted);
    }

    private static void AssertTracedOnly(IBillingStore store)
    {
        var incremental = StoredOutcomes.Detect(store, "t1", "cust-1", Traced);
        var recomputed = OutcomeDetector.Detect(Traced, EventBinding.Bind(Traced, store.ReadEvents("t1", "cust-1")), DateTimeOffset.MaxValue);

        Assert.Equal(
            [("traced", "eu"), ("traced-default-region", "us")],
            incremental.Outcomes.Select(o => (o.EventId, o.Dimensions["region"])).OrderBy(o => o.EventId, StringComparer.Ordinal).ToArray());
        var excluded = Assert.Single(incremental.Excluded);
        Assert.Equal(("agent://support/untraced", ExclusionReasons.FailedCondition), (excluded.EventId, excluded.Reason));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(recomputed), System.Text.Json.JsonSerializer.Serialize(incremental));
    }
}
