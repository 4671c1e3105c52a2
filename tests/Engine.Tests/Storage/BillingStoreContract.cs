using System.Globalization;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Storage.StoreSamples;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IBillingStore"/> must have. Each backend runs this suite through a subclass that
/// says how to open a fresh store and how to reopen it (for LiteDB: dispose and open the same file again).
/// </summary>
public abstract class BillingStoreContract : IDisposable
{
    private IBillingStore? _store;

    /// <summary>A new, empty store for this test.</summary>
    protected abstract IBillingStore OpenStore();

    /// <summary>The same store after a restart; the old instance must not be used afterwards.</summary>
    protected abstract IBillingStore ReopenStore(IBillingStore store);

    protected IBillingStore Store => _store ??= OpenStore();

    protected void Reopen() => _store = ReopenStore(Store);

    public virtual void Dispose()
    {
        _store?.Dispose();
        GC.SuppressFinalize(this);
    }

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
    public void Invoices_round_trip_with_exact_decimals_and_utc_times()
    {
        var invoice = Invoice("inv-1");
        Store.SaveInvoice(invoice);

        var found = Store.FindInvoice("t1", "inv-1");

        Assert.NotNull(found);
        var expected = invoice with
        {
            Lines = invoice.Lines.Select(l => l with { SegmentFrom = l.SegmentFrom.ToUniversalTime() }).ToList(),
        };
        Assert.Equal(Json(expected), Json(found));
        var line = found.Lines[0];
        Assert.Equal("1234.5000", line.Quantity.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("0.0000000000000000000000000001", line.UnitPrice!.Value.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(decimal.MaxValue, line.Amount);
        Assert.Equal("1.10", line.Tiers[0].UnitPrice.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("1021.050", line.Tiers[1].Amount.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("0.00", line.Attribution[1].Amount.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), line.SegmentFrom);
        Assert.Equal(TimeSpan.Zero, line.SegmentFrom.Offset);
        Assert.Equal("1030.95", found.Total.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Invoice_level_exclusions_round_trip_and_an_invoice_without_them_reads_back_with_none()
    {
        var excluded = Invoice("inv-1") with
        {
            Excluded =
            [
                new InvoiceExclusion("escalation", "s/e1", "no-matching-charge", "no charge of pricing 'v1' matches its dimensions"),
                new InvoiceExclusion("escalation", "s/e2", "duplicate-key", null),
            ],
        };
        Store.SaveInvoice(excluded);
        Store.SaveInvoice(Invoice("inv-2"));

        Assert.Equal(excluded.Excluded, Store.FindInvoice("t1", "inv-1")!.Excluded);
        Assert.Equal(Json(excluded with { Lines = Store.FindInvoice("t1", "inv-1")!.Lines }), Json(Store.FindInvoice("t1", "inv-1")));
        Assert.Empty(Store.FindInvoice("t1", "inv-2")!.Excluded);
    }

    [Fact]
    public void Invoice_and_line_taxes_round_trip_and_an_untaxed_invoice_reads_back_with_none()
    {
        var plain = Invoice("inv-1");
        var taxed = plain with
        {
            Id = "inv-2",
            Lines = plain.Lines.Select((l, i) => l with { Taxes = [new LineTax("gb_vat", i == 0 ? 20.00m : -7.80m), new LineTax("levy", 0.10m)] }).ToList(),
            Taxes = [new InvoiceTax("gb_vat", "VAT", 0.20m, false, "GB", 156.00m, 12.20m), new InvoiceTax("levy", "Levy", 0.0050m, false, null, 156.00m, 0.20m)],
        };
        Store.SaveInvoice(plain);
        Store.SaveInvoice(taxed);

        var found = Store.FindInvoice("t1", "inv-2")!;

        Assert.Equal(taxed.Taxes, found.Taxes);
        Assert.Equal("0.0050", found.Taxes[1].Rate.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(taxed.Lines.Select(l => l.Taxes), found.Lines.Select(l => l.Taxes));
        Assert.Equal(Json(taxed with { Lines = found.Lines }), Json(found));
        var untaxed = Store.FindInvoice("t1", "inv-1")!;
        Assert.Empty(untaxed.Taxes);
        Assert.All(untaxed.Lines, l => Assert.Empty(l.Taxes));
    }

    [Fact]
    public void SaveInvoice_replaces_the_invoice_with_the_same_id()
    {
        Store.SaveInvoice(Invoice("inv-1") with { Status = InvoiceStatus.Draft, Number = null });
        Store.SaveInvoice(Invoice("inv-1") with { Status = InvoiceStatus.Finalized, Number = "INV-000007" });

        var all = Store.ListInvoices("t1");
        Assert.Single(all);
        Assert.Equal(InvoiceStatus.Finalized, all[0].Status);
        Assert.Equal("INV-000007", all[0].Number);
    }

    [Fact]
    public void ListInvoices_filters_by_customer_and_orders_by_period_then_id()
    {
        Store.SaveInvoice(Invoice("inv-b", month: 4));
        Store.SaveInvoice(Invoice("inv-c", month: 3));
        Store.SaveInvoice(Invoice("inv-a", month: 4));
        Store.SaveInvoice(Invoice("inv-x", customer: "cust-2", month: 5));

        Assert.Equal(["inv-c", "inv-a", "inv-b", "inv-x"], Store.ListInvoices("t1").Select(i => i.Id));
        Assert.Equal(["inv-x"], Store.ListInvoices("t1", "cust-2").Select(i => i.Id));
        Assert.Null(Store.FindInvoice("t1", "missing"));
    }

    [Fact]
    public void Grants_round_trip_and_list_per_customer_by_granted_time_then_id()
    {
        var expiring = Grant("g-2", day: 1, expires: new DateTimeOffset(2026, 6, 30, 23, 59, 59, TimeSpan.FromHours(1)));
        Store.SaveGrant(Grant("g-3", day: 2));
        Store.SaveGrant(expiring);
        Store.SaveGrant(Grant("g-1", day: 1) with { Description = "welcome credit" });
        Store.SaveGrant(Grant("g-9", customer: "cust-2"));

        var grants = Store.ListGrants("t1", "cust-1");

        Assert.Equal(["g-1", "g-2", "g-3"], grants.Select(g => g.Id));
        Assert.Equal(expiring.ExpiresAt, grants[1].ExpiresAt);
        Assert.Equal(TimeSpan.Zero, grants[1].ExpiresAt!.Value.Offset);
        Assert.Null(grants[2].ExpiresAt);
        Assert.Equal("welcome credit", grants[0].Description);
        Assert.Null(grants[1].Description);
        Assert.Equal("250.125", grants[0].Amount.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(expiring with { GrantedAt = expiring.GrantedAt.ToUniversalTime(), ExpiresAt = expiring.ExpiresAt!.Value.ToUniversalTime() }, grants[1]);
    }

    [Fact]
    public void SaveGrant_replaces_the_grant_with_the_same_id()
    {
        Store.SaveGrant(Grant("g-1"));
        Store.SaveGrant(Grant("g-1") with { Amount = 1.50m });

        Assert.Equal([1.50m], Store.ListGrants("t1", "cust-1").Select(g => g.Amount));
    }

    [Fact]
    public void Ledger_keeps_append_order_and_refuses_a_second_entry_with_the_same_id()
    {
        Store.AppendLedger(Ledger("l-2", amount: 300m));
        Store.AppendLedger(Ledger("l-1", amount: -0.01m));
        Store.AppendLedger(Ledger("l-3", customer: "cust-2"));

        var error = Assert.Throws<InvalidOperationException>(() => Store.AppendLedger(Ledger("l-2", amount: 1m)));

        Assert.Contains("l-2", error.Message);
        var ledger = Store.ReadLedger("t1", "cust-1");
        Assert.Equal(["l-2", "l-1"], ledger.Select(e => e.Id));
        Assert.Equal("-0.01", ledger[1].Amount.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Ledger("l-1", amount: -0.01m), ledger[1]);
    }

    [Fact]
    public void Rejected_events_are_added_replaced_read_in_order_and_removed()
    {
        Store.AddRejected(Rejected("r-2") with { RejectedAt = T0.AddMinutes(1) });
        Store.AddRejected(Rejected("r-1"));
        Store.AddRejected(Rejected("r-1") with { Reason = "new reason", Attempts = 2 });
        Store.AddRejected(Rejected("r-3", tenant: "t2"));

        var rejected = Store.ReadRejected("t1");
        Assert.Equal(["r-1", "r-2"], rejected.Select(r => r.RejectionId));
        Assert.Equal(Rejected("r-1") with { Reason = "new reason", Attempts = 2 }, rejected[0]);

        Store.RemoveRejected("t1", "r-1");
        Store.RemoveRejected("t1", "never-there");
        Store.RemoveRejected("t1", "r-3");

        Assert.Equal(["r-2"], Store.ReadRejected("t1").Select(r => r.RejectionId));
        Assert.Equal(["r-3"], Store.ReadRejected("t2").Select(r => r.RejectionId));
    }

    [Fact]
    public void Invoice_numbers_are_gap_free_per_tenant()
    {
        Assert.Equal(1, Store.NextInvoiceNumber("t1"));
        Assert.Equal(2, Store.NextInvoiceNumber("t1"));
        Assert.Equal(1, Store.NextInvoiceNumber("t2"));
        Assert.Equal(3, Store.NextInvoiceNumber("t1"));
    }

    [Fact]
    public void A_transaction_that_throws_leaves_nothing_written()
    {
        Store.AppendEvents([Event("kept")]);
        Assert.Equal(1, Store.NextInvoiceNumber("t1"));

        var error = Assert.Throws<InvalidOperationException>(() => Store.InTransaction<int>(s =>
        {
            s.AppendEvents([Event("lost"), Event("kept")]);
            s.SaveInvoice(Invoice("inv-lost"));
            s.NextInvoiceNumber("t1");
            s.SaveGrant(Grant("g-lost"));
            s.AppendLedger(Ledger("l-lost"));
            s.AddRejected(Rejected("r-lost"));
            s.RemoveRejected("t1", "none");
            throw new InvalidOperationException("payment provider refused");
        }));

        Assert.Equal("payment provider refused", error.Message);
        Assert.Equal(["kept"], Store.ReadEvents("t1").Select(e => e.Id));
        Assert.Empty(Store.ListInvoices("t1"));
        Assert.Empty(Store.ListGrants("t1", "cust-1"));
        Assert.Empty(Store.ReadLedger("t1", "cust-1"));
        Assert.Empty(Store.ReadRejected("t1"));
        // The number taken inside the rolled-back transaction is handed out again: no gap.
        Assert.Equal(2, Store.NextInvoiceNumber("t1"));
        // And the event appended inside it was never claimed.
        Assert.Equal([AppendStatus.Accepted], Store.AppendEvents([Event("lost")]));
    }

    [Fact]
    public void A_transaction_commits_all_writes_together_and_sees_its_own_writes()
    {
        var number = Store.InTransaction(s =>
        {
            var n = s.NextInvoiceNumber("t1");
            s.SaveInvoice(Invoice("inv-1") with { Number = $"INV-{n:000000}" });
            s.AppendLedger(Ledger("l-1"));
            Assert.Equal($"INV-{n:000000}", s.FindInvoice("t1", "inv-1")?.Number);
            // A nested transaction joins the outer one.
            s.InTransaction(inner => inner.AppendEvents([Event("a")]));
            Assert.Single(s.ReadEvents("t1"));
            return n;
        });

        Assert.Equal(1, number);
        Assert.Equal("INV-000001", Store.FindInvoice("t1", "inv-1")?.Number);
        Assert.Single(Store.ReadLedger("t1", "cust-1"));
        Assert.Single(Store.ReadEvents("t1"));
        Assert.Equal(2, Store.NextInvoiceNumber("t1"));
    }

    [Fact]
    public void Uncommitted_writes_are_invisible_to_other_threads()
    {
        List<StoredEvent>? seenFromOtherThread = null;
        Store.InTransaction(s =>
        {
            s.AppendEvents([Event("a")]);
            var reader = new Thread(() => seenFromOtherThread = Store.ReadEvents("t1").ToList());
            reader.Start();
            reader.Join();
            return 0;
        });

        Assert.NotNull(seenFromOtherThread);
        Assert.Empty(seenFromOtherThread);
        Assert.Single(Store.ReadEvents("t1"));
    }

    [Fact]
    public void Tenants_never_see_each_others_rows()
    {
        Store.AppendEvents([Event("a", tenant: "A", subject: "shared"), Event("b", tenant: "A", subject: "shared")]);
        Store.SaveInvoice(Invoice("inv-1", tenant: "A", customer: "shared"));
        Store.SaveGrant(Grant("g-1", tenant: "A", customer: "shared"));
        Store.AppendLedger(Ledger("l-1", tenant: "A", customer: "shared"));
        Store.AddRejected(Rejected("r-1", tenant: "A"));
        Store.NextInvoiceNumber("A");

        Assert.Empty(Store.ReadEvents("B"));
        Assert.Empty(Store.ReadEvents("B", "shared"));
        Assert.Empty(Store.Customers("B"));
        Assert.Null(Store.FindInvoice("B", "inv-1"));
        Assert.Empty(Store.ListInvoices("B"));
        Assert.Empty(Store.ListInvoices("B", "shared"));
        Assert.Empty(Store.ListGrants("B", "shared"));
        Assert.Empty(Store.ReadLedger("B", "shared"));
        Assert.Empty(Store.ReadRejected("B"));
        Assert.Equal(1, Store.NextInvoiceNumber("B"));
        // The same ids under tenant B are new rows, not duplicates or replacements.
        Assert.Equal([AppendStatus.Accepted], Store.AppendEvents([Event("a", tenant: "B", subject: "shared")]));
        Store.AppendLedger(Ledger("l-1", tenant: "B", customer: "shared"));
        Assert.Equal(2, Store.ReadEvents("A").Count());
        Assert.Single(Store.ReadLedger("A", "shared"));
    }

    [Fact]
    public void Everything_written_survives_a_reopen()
    {
        Store.AppendEvents([Event("a", minute: 1), Event("b", subject: "cust-2")]);
        var invoice = Invoice("inv-1");
        Store.SaveInvoice(invoice);
        Store.SaveGrant(Grant("g-1"));
        Store.AppendLedger(Ledger("l-1"));
        Store.AddRejected(Rejected("r-1"));
        Store.NextInvoiceNumber("t1");
        var events = Store.ReadEvents("t1").ToList();
        var invoiceJson = Json(Store.FindInvoice("t1", "inv-1"));

        Reopen();

        Assert.Equal(events, Store.ReadEvents("t1").ToList());
        Assert.Equal(invoiceJson, Json(Store.FindInvoice("t1", "inv-1")));
        Assert.Equal(["g-1"], Store.ListGrants("t1", "cust-1").Select(g => g.Id));
        Assert.Equal([Ledger("l-1")], Store.ReadLedger("t1", "cust-1"));
        Assert.Equal([Rejected("r-1")], Store.ReadRejected("t1"));
        // Counters and dedup keys survive too.
        Assert.Equal(2, Store.NextInvoiceNumber("t1"));
        Assert.Equal([AppendStatus.Duplicate, AppendStatus.Accepted], Store.AppendEvents([Event("a"), Event("c")]));
        var newest = Store.ReadEvents("t1").Single(e => e.Id == "c");
        Assert.True(newest.Sequence > events.Max(e => e.Sequence));
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
