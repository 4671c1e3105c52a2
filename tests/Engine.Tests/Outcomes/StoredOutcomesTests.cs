using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Storage.Postgres;
using RulesBilling.Engine.Tests.Ingestion;
using RulesBilling.Engine.Tests.Storage;
using static RulesBilling.Engine.Tests.Outcomes.StoredOutcomesProperties;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Outcomes;

/// <summary>Rebuilds, rollbacks and concurrent nodes around the stored outcome state; the oracle is full detection.</summary>
public sealed class StoredOutcomesTests
{
    private static readonly TestClock Clock = new(At("2026-04-01T00:00:00Z"));

    private static string Closed(string id, string customer, string time, string ticket, string status = "closed", string? agent = "ann", decimal? units = null) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["specversion"] = "1.0", ["id"] = id, ["source"] = "agent-a", ["type"] = TicketRules.Closed.Name, ["subject"] = customer, ["time"] = time,
            ["data"] = units is null
                ? new Dictionary<string, object?> { ["ticket_id"] = ticket, ["status"] = status, ["agent"] = agent }
                : new Dictionary<string, object?> { ["ticket_id"] = ticket, ["status"] = status, ["agent"] = agent, ["units"] = units },
        });

    private static string Reopen(string id, string customer, string time, string ticket) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["specversion"] = "1.0", ["id"] = id, ["source"] = "agent-a", ["type"] = Reopened.Name, ["subject"] = customer, ["time"] = time,
            ["data"] = new Dictionary<string, object?> { ["ticket_id"] = ticket },
        });

    private static void Ingest(IBillingStore store, CompiledRuleSet rules, params string[] events) =>
        Assert.True(new EventIngestor(store, Clock).Ingest("t1", CloudEvents.Batch(events), rules).Succeeded);

    private static string Oracle(IBillingStore store, CompiledRuleSet rules, string customer) =>
        Json(OutcomeDetector.Detect(rules, EventBinding.Bind(rules, store.ReadEvents("t1", customer)), DateTimeOffset.MaxValue));

    [Fact]
    public void The_changed_events_of_a_customer_are_those_of_its_key_groups_changed_after_the_version_and_no_other_customers()
    {
        using var directory = new TempDirectory();
        using var database = new PostgresTestDatabase();
        using var memory = new InMemoryBillingStore();
        using var lite = new LiteDbBillingStore(directory.File("billing.db"));
        using var postgres = PostgresBillingStore.Open(database.ConnectionString);
        foreach (var store in new IBillingStore[] { memory, lite, postgres })
        {
            // "c1" is a prefix of "c10": the per-customer change index must keep them apart.
            Ingest(store, Rules, Closed("a1", "c1", "2026-03-02T10:00:00Z", "T-1"), Closed("b1", "c10", "2026-03-02T11:00:00Z", "T-1"));
            var first = StoredOutcomes.TenantVersion(store, "t1");
            Ingest(store, Rules, Closed("a2", "c1", "2026-03-03T10:00:00Z", "T-2"), Reopen("a3", "c1", "2026-03-04T10:00:00Z", "T-1"),
                Closed("b2", "c10", "2026-03-03T11:00:00Z", "T-2"));

            Assert.Equal(["agent-a/a1", "agent-a/a2", "agent-a/a3"], StoredOutcomes.ChangedEvents(store, "t1", "c1", 0).Order(StringComparer.Ordinal));
            // After the first append: T-2 joined, and T-1 changed because its reopen arrived (its closing event comes with it).
            Assert.Equal(["agent-a/a1", "agent-a/a2", "agent-a/a3"], StoredOutcomes.ChangedEvents(store, "t1", "c1", first).Order(StringComparer.Ordinal));
            Assert.Equal(["agent-a/b2"], StoredOutcomes.ChangedEvents(store, "t1", "c10", first).Order(StringComparer.Ordinal));
            Assert.Empty(StoredOutcomes.ChangedEvents(store, "t1", "c1", StoredOutcomes.TenantVersion(store, "t1")));
        }
    }

    [Fact]
    public void A_late_reopen_reverses_the_outcome_it_falls_behind_and_releases_the_key()
    {
        using var store = new InMemoryBillingStore();
        Ingest(store, Rules, Closed("c1", "acme", "2026-03-02T10:00:00Z", "T-1"), Closed("c2", "acme", "2026-03-06T10:00:00Z", "T-1"));
        var before = StoredOutcomes.Detect(store, "t1", "acme", Rules).Outcomes.Where(o => o.Outcome == "resolved").ToList();
        // c2 is a new outcome: the dedup window (3 days) had passed.
        Assert.Equal([("agent-a/c1", OutcomeState.Billable), ("agent-a/c2", OutcomeState.Billable)], before.Select(o => (EventRef.Of(o.EventSource, o.EventId), o.State)));

        // Arrives after both, dated between them: reverses c1 inside its 7-day window.
        Ingest(store, Rules, Reopen("o1", "acme", "2026-03-04T10:00:00Z", "T-1"));
        var after = StoredOutcomes.Detect(store, "t1", "acme", Rules);
        var resolved = after.Outcomes.Where(o => o.Outcome == "resolved").ToList();
        Assert.Equal([("agent-a/c1", OutcomeState.Reversed, "agent-a/o1"), ("agent-a/c2", OutcomeState.Billable, null)],
            resolved.Select(o => (EventRef.Of(o.EventSource, o.EventId), o.State, o.ReversedByEventId)));
        Assert.Equal(Oracle(store, Rules, "acme"), Json(after));
    }

    [Fact]
    public void A_new_rule_set_rebuilds_the_state_including_events_that_no_longer_bind_and_ingestion_continues_incrementally()
    {
        using var directory = new TempDirectory();
        using var store = new LiteDbBillingStore(directory.File("billing.db"));
        Ingest(store, Rules, Closed("c1", "acme", "2026-03-02T10:00:00Z", "T-1"), Closed("c2", "acme", "2026-03-03T10:00:00Z", "T-2", agent: "bob"),
            Reopen("o1", "acme", "2026-03-04T10:00:00Z", "T-2"));
        Assert.Equal(Oracle(store, Rules, "acme"), Json(StoredOutcomes.Detect(store, "t1", "acme", Rules)));

        // Version 2: "agent" becomes a decimal, so the stored closed events no longer bind (rejected-by-schema),
        // and the condition changes; the hash differs, so the state is rebuilt from the events.
        var schema = TicketRules.Closed with { Fields = [.. TicketRules.Closed.Fields.Select(f => f.Name == "agent" ? f with { Type = FieldType.Decimal } : f)] };
        var v2 = Rules with
        {
            Events = new Dictionary<string, EventSchema>(Rules.Events) { [schema.Name] = schema },
            Outcomes = [HeldResolved with { Condition = e => (string)e.Fields[1]! != "spam" }, Touched, Reopens],
            Hash = "hash-v2",
        };
        var rebuilt = StoredOutcomes.Detect(store, "t1", "acme", v2);
        Assert.Contains(rebuilt.Excluded, x => x.EventId == "agent-a/c1" && x.Reason == ExclusionReasons.RejectedBySchema);
        Assert.Equal(Oracle(store, v2, "acme"), Json(rebuilt));

        // Later events under v2 are folded in incrementally.
        Ingest(store, v2, Closed("c3", "acme", "2026-03-05T10:00:00Z", "T-3", agent: null), Reopen("o2", "acme", "2026-03-06T10:00:00Z", "T-3"));
        Assert.Equal(Oracle(store, v2, "acme"), Json(StoredOutcomes.Detect(store, "t1", "acme", v2)));
        // And going back to version 1 rebuilds again.
        Assert.Equal(Oracle(store, Rules, "acme"), Json(StoredOutcomes.Detect(store, "t1", "acme", Rules)));
    }

    [Fact]
    public async Task Overlapping_appends_on_LiteDB_accept_each_event_once_and_keep_the_state_equal_to_the_events()
    {
        using var directory = new TempDirectory();
        using var store = new LiteDbBillingStore(directory.File("billing.db"));
        var ingestor = new EventIngestor(store, Clock);
        // Eight writers at once (their appends share transactions), each event sent by two of them, tickets repeating
        // across writers so key groups are joined by several appends, and reopens among them.
        var batches = Enumerable.Range(0, 8).Select(w => Enumerable.Range(0, 30).Select(i =>
        {
            var n = (w / 2) * 30 + i;
            var time = At("2026-03-02T00:00:00Z").AddHours(n).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            return n % 7 == 6 ? Reopen($"o{n}", $"c{n % 3}", time, $"T-{n % 11}") : Closed($"e{n}", $"c{n % 3}", time, $"T-{n % 11}");
        }).ToArray()).ToList();
        var results = await Task.WhenAll(batches.Select(b => Task.Run(() => ingestor.Ingest("t1", CloudEvents.Batch(b), Rules))));

        Assert.Equal((120, 120), (results.Sum(r => r.Accepted), results.Sum(r => r.Duplicates)));
        Assert.Equal(120, store.ReadEvents("t1").Count());
        foreach (var customer in store.Customers("t1")) Assert.Equal(Oracle(store, Rules, customer), Json(StoredOutcomes.Detect(store, "t1", customer, Rules)));
    }

    [Fact]
    public void A_tenant_whose_events_predate_the_state_is_rebuilt_by_its_first_ingestion_on_every_store()
    {
        using var directory = new TempDirectory();
        using var database = new PostgresTestDatabase();
        using var memory = new InMemoryBillingStore();
        using var lite = new LiteDbBillingStore(directory.File("billing.db"));
        using var postgres = PostgresBillingStore.Open(database.ConnectionString);
        foreach (var store in new IBillingStore[] { memory, lite, postgres })
        {
            // Appended without the ingestor (as before the state existed): no state, and the tenant's first ingestion
            // must not take its state for empty.
            store.AppendEvents([ClosedEvent("old", "acme", "2026-03-02T10:00:00Z", "T-1")]);
            Ingest(store, Rules, Closed("new", "acme", "2026-03-03T10:00:00Z", "T-2"));

            var detected = StoredOutcomes.Detect(store, "t1", "acme", Rules);
            Assert.Contains(detected.Outcomes, o => o.EventId == "old");
            Assert.Equal(Oracle(store, Rules, "acme"), Json(detected));
        }
    }

    [Fact]
    public void A_state_an_older_build_wrote_with_entries_copying_their_events_data_is_rebuilt_on_first_use_on_every_store()
    {
        using var directory = new TempDirectory();
        using var database = new PostgresTestDatabase();
        using var memory = new InMemoryBillingStore();
        using var lite = new LiteDbBillingStore(directory.File("billing.db"));
        using var postgres = PostgresBillingStore.Open(database.ConnectionString);
        foreach (var store in new IBillingStore[] { memory, lite, postgres })
        {
            Ingest(store, Rules, Closed("a1", "acme", "2026-03-02T10:00:00Z", "T-1"), Closed("a2", "acme", "2026-03-02T11:00:00Z", "T-2"));
            var state = OutcomeStateStores.For(store)!;
            var events = store.ReadEvents("t1", "acme").ToList();
            // What the build before entries referenced their events left behind: a tenant row naming the rule-set hash
            // alone, and group entries whose members hold their data. Their outcomes are emptied, so a state read
            // without the rebuild would show.
            var old = state.ReadCustomer("t1", "acme").Where(e => e.Name.StartsWith('g')).Select(e =>
            {
                var (version, refs) = GroupEntryCodec.Refs(e.Json);
                var members = events.Where(x => refs.Contains(EventRef.Of(x.Source, x.Id)))
                    .Select(m => $"[\"{m.Source}\",\"{m.Id}\",\"{m.Time:O}\",{m.DataJson}]");
                return new OutcomeStateWrite("acme", e.Name, $"{{\"v\":{version},\"m\":[{string.Join(",", members)}],\"r\":[],\"o\":[]}}", version);
            }).ToList();
            Assert.NotEmpty(old);
            store.InTransaction(_ =>
            {
                state.Put("t1", [], old);
                state.SetRuleSet("t1", Rules.Hash);
                return 0;
            });
            // The earlier format still reads (its members' data skipped).
            Assert.Equal(["agent-a/a1"], GroupEntryCodec.Refs(state.ReadCustomer("t1", "acme").First(e => e.Json.Contains("\"a1\"", StringComparison.Ordinal)).Json).Refs);

            var detected = StoredOutcomes.Detect(store, "t1", "acme", Rules);
            Assert.Contains(detected.Outcomes, o => o.EventId == "a1");
            Assert.Equal(Oracle(store, Rules, "acme"), Json(detected));
            Assert.Equal(StoredOutcomes.StateHash(Rules), state.Tenant("t1")!.RuleSetHash);
            Assert.All(state.ReadCustomer("t1", "acme"), e => Assert.DoesNotContain("ticket_id", e.Json, StringComparison.Ordinal));

            // The rebuilt state folds in a later event of a stored group, binding the referenced member from the store.
            Ingest(store, Rules, Closed("a3", "acme", "2026-03-02T12:00:00Z", "T-1"), Reopen("o1", "acme", "2026-03-03T10:00:00Z", "T-2"));
            Assert.Equal(Oracle(store, Rules, "acme"), Json(StoredOutcomes.Detect(store, "t1", "acme", Rules)));
        }
    }

    [Fact]
    public void A_new_tenants_first_ingestion_begins_its_state_without_a_rebuild_and_later_ones_fold_in()
    {
        using var directory = new TempDirectory();
        using var database = new PostgresTestDatabase();
        using var memory = new InMemoryBillingStore();
        using var lite = new LiteDbBillingStore(directory.File("billing.db"));
        using var postgres = PostgresBillingStore.Open(database.ConnectionString);
        foreach (var store in new IBillingStore[] { memory, lite, postgres })
        {
            Ingest(store, Rules, Closed("a1", "acme", "2026-03-02T10:00:00Z", "T-1"), Closed("a2", "beta", "2026-03-02T11:00:00Z", "T-1"));
            // Began at version 1 for these rules, both customers changed at it: what a rebuild would have written.
            Assert.Equal(1, StoredOutcomes.TenantVersion(store, "t1"));
            Assert.Equal([1L, 1L], new[] { "acme", "beta" }.Select(c => StoredOutcomes.CustomerVersion(store, "t1", c)!.Value));
            Ingest(store, Rules, Reopen("o1", "acme", "2026-03-03T10:00:00Z", "T-1"));
            foreach (var customer in new[] { "acme", "beta" }) Assert.Equal(Oracle(store, Rules, customer), Json(StoredOutcomes.Detect(store, "t1", customer, Rules)));
        }
    }

    [Fact]
    public void A_rolled_back_append_leaves_no_state_behind()
    {
        using var directory = new TempDirectory();
        using var store = new LiteDbBillingStore(directory.File("billing.db"));
        Ingest(store, Rules, Closed("c1", "acme", "2026-03-02T10:00:00Z", "T-1"));
        var committed = Json(StoredOutcomes.Detect(store, "t1", "acme", Rules));

        var late = new StoredEvent("t1", "agent-a", "o1", Reopened.Name, "acme", At("2026-03-03T10:00:00Z"), At("2026-03-03T10:00:00Z"), 0, """{"ticket_id":"T-1"}""");
        Assert.Throws<InvalidOperationException>(() => store.InTransaction<int>(s =>
        {
            s.AppendEvents([late]);
            StoredOutcomes.Apply(s, "t1", Rules, [late]);
            throw new InvalidOperationException("crash before commit");
        }));

        Assert.DoesNotContain(store.ReadEvents("t1", "acme"), e => e.Id == "o1");
        Assert.Equal(committed, Json(StoredOutcomes.Detect(store, "t1", "acme", Rules)));
        Assert.Equal(Oracle(store, Rules, "acme"), committed);
    }

    [Fact]
    public async Task Two_nodes_appending_to_the_same_key_groups_at_once_leave_the_state_equal_to_the_events()
    {
        using var database = new PostgresTestDatabase();
        using var nodeA = PostgresBillingStore.Open(database.ConnectionString);
        using var nodeB = PostgresBillingStore.Open(database.ConnectionString);
        Ingest(nodeA, Rules, Closed("seed", "acme", "2026-03-01T00:00:00Z", "T-0"));

        // Each node sends its own events for the same tickets (same key groups), interleaved with reopens.
        IEnumerable<string> Events(string node) => Enumerable.Range(0, 30).Select(n => n % 4 == 3
            ? Reopen($"{node}-{n}", n % 2 == 0 ? "acme" : "beta", $"2026-03-{1 + n % 20:00}T12:00:00Z", $"T-{n % 3}")
            : Closed($"{node}-{n}", n % 2 == 0 ? "acme" : "beta", $"2026-03-{1 + n % 20:00}T{n % 24:00}:00:00Z", $"T-{n % 3}", units: n % 5));
        var a = Task.Run(() => { foreach (var batch in Events("a").Chunk(3)) Ingest(nodeA, Rules, batch); });
        var b = Task.Run(() => { foreach (var batch in Events("b").Chunk(4)) Ingest(nodeB, Rules, batch); });
        await Task.WhenAll(a, b);

        Assert.True(Agrees(nodeA));
        Assert.True(Agrees(nodeB));
    }

    [Fact]
    public void A_node_that_did_not_accept_an_event_raises_its_notification_from_the_change_feed()
    {
        using var database = new PostgresTestDatabase();
        using var nodeA = PostgresBillingStore.Open(database.ConnectionString);
        using var nodeB = PostgresBillingStore.Open(database.ConnectionString);
        using var directory = new TempDirectory();
        using var outboxFile = new LiteDbBillingStore(directory.File("notifications.db"));
        using var outbox = new LiteDbNotificationStore(outboxFile);
        outbox.SaveSubscription(new WebhookSubscription("t1", "sub-1", "https://example.com/hook", [NotificationTypes.OutcomeBilled], "whsec_x", [], Clock.Now));
        var viewB = new EntitlementView(nodeB, _ => Rules, Clock, new NotificationOutbox(outbox, Clock));
        viewB.Refresh(["t1"]);
        Assert.Empty(outbox.ListDeliveries("t1"));

        // Accepted by node A only; node B's worker pass finds them in the shared change feed. Both held windows
        // (7 days) closed before the clock's April 1st, so each event bills "resolved" and "touched".
        Ingest(nodeA, Rules, Closed("c1", "acme", "2026-03-02T10:00:00Z", "T-1"), Closed("c2", "acme", "2026-03-20T10:00:00Z", "T-2"));
        viewB.Refresh([]);
        var billed = outbox.ListDeliveries("t1").Select(d => System.Text.Json.JsonDocument.Parse(d.Body).RootElement.GetProperty("data"))
            .Select(d => (d.GetProperty("outcome").GetString(), d.GetProperty("eventId").GetString())).Order().ToList();
        Assert.Equal([("resolved", "agent-a/c1"), ("resolved", "agent-a/c2"), ("touched", "agent-a/c1"), ("touched", "agent-a/c2")], billed);

        // A late event dated before everything raised so far is still raised, once.
        Ingest(nodeA, Rules, Closed("c0", "acme", "2026-02-01T10:00:00Z", "T-9"));
        viewB.Refresh([]);
        viewB.Refresh([]);
        Assert.Equal(6, outbox.ListDeliveries("t1").Count);
    }
}
