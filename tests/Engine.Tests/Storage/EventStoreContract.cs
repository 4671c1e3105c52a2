using System.Globalization;
using static RulesBilling.Engine.Tests.Storage.StoreSamples;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>What every backend's <see cref="IEventStore"/> must do: typed fields and extensions round trip, dedup on (tenant, source, id) within and across batches and after a rollback, sequence numbers, read order and filters.</summary>
public abstract class EventStoreContract<TBackend> : StoreContract<TBackend> where TBackend : IStoreBackend, new()
{
    [Fact]
    public void Typed_fields_of_every_type_round_trip_with_precision_scale_instant_and_duration()
    {
        var original = TypedSamples.Typed(TypedSamples.EveryType, TypedSamples.EveryTypeJson);
        Store.AppendEvents([original]);
        Reopen();

        var stored = Assert.Single(Store.ReadEvents("t1", "cust-1"));
        Assert.Equal(original.Fields, stored.Fields);
        Assert.Equal(TypedSamples.EveryTypeJson, stored.DataJson);
        Assert.True(stored.Fields!.TryBind(TypedSamples.EveryType, out var slots));
        Assert.Equal("résumé ✓", slots![0]);
        Assert.Equal("79228162514264337593543950335", ((decimal)slots[1]!).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(-42m, slots[2]);
        Assert.Equal(false, slots[3]);
        var at = (DateTimeOffset)slots[4]!;
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 5, 0, 0, TimeSpan.Zero).AddTicks(1234567), at);
        Assert.Equal(TimeSpan.Zero, at.Offset);
        Assert.Equal(TimeSpan.FromHours(1).Ticks + 1, ((TimeSpan)slots[5]!).Ticks);
        // The scale survives: 1.100 KWD stays 1.100, not 1.1.
        Assert.Equal("1.100", ((decimal)slots[6]!).ToString(CultureInfo.InvariantCulture));
        Assert.Null(slots[7]);
    }

    [Fact]
    public void Extension_attributes_round_trip_and_an_event_without_them_reads_back_with_none()
    {
        var traced = Event("traced") with
        {
            Extensions = new Dictionary<string, string> { ["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", ["tenantregion"] = "eu-west" },
        };
        Store.AppendEvents([traced, Event("plain")]);
        Reopen();

        var stored = Store.ReadEvents("t1", "cust-1").ToDictionary(e => e.Id);
        Assert.Equal(
            [new("tenantregion", "eu-west"), new("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")],
            stored["traced"].Extensions.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray());
        Assert.Empty(stored["plain"].Extensions);
    }

    [Fact]
    public void Typed_fields_keep_small_and_negative_decimals_exactly()
    {
        var json = """{"s":"","d":"-0.0000000000000000000000000001","i":0,"b":true,"at":"2026-01-01T00:00:00Z","took":0,"cost":-12.345,"note":"n"}""";
        Store.AppendEvents([TypedSamples.Typed(TypedSamples.EveryType, json)]);
        Reopen();

        var stored = Assert.Single(Store.ReadEvents("t1"));
        Assert.True(stored.Fields!.TryBind(TypedSamples.EveryType, out var slots));
        Assert.Equal("", slots![0]);
        Assert.Equal("-0.0000000000000000000000000001", ((decimal)slots[1]!).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(true, slots[3]);
        Assert.Equal(TimeSpan.Zero, slots[5]);
        Assert.Equal("-12.345", ((decimal)slots[6]!).ToString(CultureInfo.InvariantCulture));
        Assert.Equal("n", slots[7]);
    }

    [Fact]
    public void An_event_stored_without_typed_fields_reads_back_without_them_and_binds_from_its_json()
    {
        var untyped = TypedSamples.Typed(TypedSamples.EveryType, TypedSamples.EveryTypeJson, "old") with { Fields = null };
        var typed = TypedSamples.Typed(TypedSamples.EveryType, TypedSamples.EveryTypeJson, "new");
        Store.AppendEvents([untyped, typed]);
        Reopen();

        var stored = Store.ReadEvents("t1").ToList();
        Assert.Null(stored.Single(e => e.Id == "old").Fields);
        Assert.NotNull(stored.Single(e => e.Id == "new").Fields);
        var bound = RulesBilling.Engine.Outcomes.EventBinding.Bind(Ingestion.TestRules.With(TypedSamples.EveryType), stored);
        Assert.Empty(bound.Failures);
        Assert.Equal(2, bound.Events.Count);
        Assert.Equal(bound.Events[0].Fields, bound.Events[1].Fields);
    }

    [Fact]
    public void An_event_appended_in_a_rolled_back_transaction_is_new_afterwards_even_after_other_appends()
    {
        Store.AppendEvents([Event("kept", subject: "c1")]);
        Assert.Throws<InvalidOperationException>(() => Store.InTransaction<int>(s =>
        {
            s.AppendEvents([Event("undone", subject: "c2"), Event("undone-too", subject: "c1")]);
            throw new InvalidOperationException("roll back");
        }));
        // Later appends take the slots and numbers the rolled-back ones had.
        Store.AppendEvents([Event("other", subject: "c2"), Event("other-too", subject: "c1")]);

        var statuses = Store.AppendEvents([Event("undone", subject: "c2"), Event("undone-too", subject: "c1"), Event("kept", subject: "c1")]);

        Assert.Equal([AppendStatus.Accepted, AppendStatus.Accepted, AppendStatus.Duplicate], statuses);
        Assert.Equal(["kept", "other-too", "undone-too"], Store.ReadEvents("t1", "c1").Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["other", "undone"], Store.ReadEvents("t1", "c2").Select(e => e.Id).Order(StringComparer.Ordinal));
        var sequences = Store.ReadEvents("t1").OrderBy(e => e.Sequence).Select(e => e.Sequence).ToList();
        Assert.Equal(sequences.Distinct().Count(), sequences.Count);
    }

    [Fact]
    public void Append_reports_a_repeat_inside_the_batch_as_duplicate_and_keeps_the_first()
    {
        var statuses = Store.AppendEvents([Event("a", data: "1"), Event("b"), Event("a", data: "2")]);

        Assert.Equal([AppendStatus.Accepted, AppendStatus.Accepted, AppendStatus.Duplicate], statuses);
        var stored = Store.ReadEvents("t1").ToList();
        Assert.Equal(["a", "b"], stored.Select(e => e.Id));
        Assert.Equal("1", stored[0].DataJson);
    }

    [Fact]
    public void Append_reports_ids_stored_by_an_earlier_batch_as_duplicate_and_changes_nothing()
    {
        Store.AppendEvents([Event("a", data: "1"), Event("b")]);
        var before = Store.ReadEvents("t1").ToList();

        var statuses = Store.AppendEvents([Event("a", data: "changed"), Event("c"), Event("b")]);

        Assert.Equal([AppendStatus.Duplicate, AppendStatus.Accepted, AppendStatus.Duplicate], statuses);
        var after = Store.ReadEvents("t1").ToList();
        Assert.Equal(["a", "b", "c"], after.Select(e => e.Id));
        Assert.Equal(before[0], after[0]);
        Assert.Equal(before[1], after[1]);
    }

    [Fact]
    public void Identity_is_tenant_source_and_id_compared_ordinally()
    {
        var statuses = Store.AppendEvents(
        [
            Event("a"), Event("A"), Event("a", source: "other"), Event("a", tenant: "t2"),
            // Components containing the key separator must not collide with each other.
            Event("b\u001fc", source: "a"), Event("c", source: "a\u001fb"),
        ]);

        Assert.All(statuses, s => Assert.Equal(AppendStatus.Accepted, s));
        Assert.Equal(5, Store.ReadEvents("t1").Count());
        Assert.Single(Store.ReadEvents("t2"));
    }

    [Fact]
    public void Very_long_sources_and_ids_are_stored_and_deduplicated()
    {
        var longSource = "https://agents.example.com/" + new string('s', 3000);
        var longId = new string('é', 2000);

        var first = Store.AppendEvents([Event(longId, source: longSource), Event(longId + "x", source: longSource)]);
        var second = Store.AppendEvents([Event(longId, source: longSource)]);

        Assert.Equal([AppendStatus.Accepted, AppendStatus.Accepted], first);
        Assert.Equal([AppendStatus.Duplicate], second);
        var stored = Store.ReadEvents("t1").ToList();
        Assert.Equal([longId, longId + "x"], stored.Select(e => e.Id));
        Assert.All(stored, e => Assert.Equal(longSource, e.Source));
    }

    [Fact]
    public void Sequence_numbers_increase_strictly_in_acceptance_order_and_duplicates_take_none()
    {
        Store.AppendEvents([Event("c", minute: 0), Event("a", minute: 5)]);
        Store.AppendEvents([Event("a"), Event("b", minute: 1)]);

        var bySequence = Store.ReadEvents("t1").OrderBy(e => e.Sequence).ToList();
        Assert.Equal(["c", "a", "b"], bySequence.Select(e => e.Id));
        Assert.True(bySequence[0].Sequence > 0);
        Assert.True(bySequence[0].Sequence < bySequence[1].Sequence && bySequence[1].Sequence < bySequence[2].Sequence);
    }

    [Fact]
    public void ReadEvents_orders_by_time_then_source_then_id_ordinally()
    {
        Store.AppendEvents(
        [
            Event("z", source: "a", minute: 2), Event("b", source: "a", minute: 1), Event("a", source: "a", minute: 1),
            Event("a", source: "B", minute: 1), Event("x", source: "a", minute: 0),
        ]);

        var order = Store.ReadEvents("t1").Select(e => $"{e.Time.Minute}/{e.Source}/{e.Id}");

        // "B" < "a" ordinally (upper case first), unlike a culture-aware sort.
        Assert.Equal(["0/a/x", "1/B/a", "1/a/a", "1/a/b", "2/a/z"], order);
    }

    [Fact]
    public void ReadEvents_filters_by_customer_and_stored_before_strictly()
    {
        Store.AppendEvents([Event("a", subject: "c1"), Event("b", subject: "c2"), Event("c", subject: "c1") with { StoredAt = T0.AddHours(2) }]);

        Assert.Equal(["a", "c"], Store.ReadEvents("t1", "c1").Select(e => e.Id));
        Assert.Equal(["a", "b"], Store.ReadEvents("t1", storedBefore: T0.AddHours(2)).Select(e => e.Id));
        Assert.Equal(["a"], Store.ReadEvents("t1", "c1", T0.AddHours(2)).Select(e => e.Id));
        Assert.Empty(Store.ReadEvents("t1", "nobody"));
    }

    [Fact]
    public void Event_times_come_back_as_the_same_instant_in_utc()
    {
        var local = new DateTimeOffset(2026, 3, 1, 10, 15, 30, 123, TimeSpan.FromHours(5.5)).AddTicks(4567);
        Store.AppendEvents([Event("a") with { Time = local, StoredAt = local.AddTicks(1) }]);

        var stored = Store.ReadEvents("t1").Single();
        Assert.Equal(local.UtcTicks, stored.Time.UtcTicks);
        Assert.Equal(TimeSpan.Zero, stored.Time.Offset);
        Assert.Equal(local.UtcTicks + 1, stored.StoredAt.UtcTicks);
        Assert.Equal(TimeSpan.Zero, stored.StoredAt.Offset);
    }

    [Fact]
    public void Customers_are_distinct_sorted_ordinally_per_tenant()
    {
        Store.AppendEvents([Event("1", subject: "beta"), Event("2", subject: "Alpha"), Event("3", subject: "beta"), Event("4", subject: "gamma", tenant: "t2")]);

        Assert.Equal(["Alpha", "beta"], Store.Customers("t1"));
        Assert.Equal(["gamma"], Store.Customers("t2"));
        Assert.Empty(Store.Customers("t3"));
    }

    [Fact]
    public void Concurrent_overlapping_batches_store_each_distinct_event_exactly_once()
    {
        const int Distinct = 300;
        const int Writers = 4;
        var pool = Enumerable.Range(0, Distinct).Select(i => Event($"e{i:000}", minute: i % 7, source: $"s{i % 3}")).ToArray();
        var store = Store;
        var accepted = new int[Writers];
        using var start = new Barrier(Writers);

        var threads = Enumerable.Range(0, Writers).Select(w => new Thread(() =>
        {
            // Each writer sends every event, in its own order and batch sizes, so batches overlap across writers.
            var order = pool.OrderBy(_ => Random.Shared.Next()).ToArray();
            var random = new Random(w);
            start.SignalAndWait();
            for (var i = 0; i < order.Length;)
            {
                var size = random.Next(1, 40);
                var statuses = store.AppendEvents(order.Skip(i).Take(size).ToList());
                accepted[w] += statuses.Count(s => s == AppendStatus.Accepted);
                i += size;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var stored = store.ReadEvents("t1").ToList();
        Assert.Equal(Distinct, accepted.Sum());
        Assert.Equal(pool.Select(e => e.Id).Order(StringComparer.Ordinal), stored.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Distinct, stored.Select(e => e.Sequence).Distinct().Count());
    }
}
