using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Storage.Migration;
using RulesBilling.Engine.Storage.Postgres;
using static RulesBilling.Engine.Tests.Storage.StoreSamples;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>Moving a LiteDB file into PostgreSQL: complete, exact, verified, and safe to run again.</summary>
public sealed class StoreImportTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly PostgresTestDatabase _database = new();

    private string LiteDbFile => _directory.File("billing.db");

    public void Dispose()
    {
        _directory.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void Import_copies_every_record_exactly_and_verifies_counts_totals_and_numbers()
    {
        List<StoredEvent> sourceEvents;
        using (var source = new LiteDbBillingStore(LiteDbFile))
        {
            Fill(source);
            sourceEvents = source.ReadEvents("t1").ToList();
        }
        using var target = PostgresBillingStore.Open(_database.ConnectionString);

        var report = StoreImport.FromLiteDb(LiteDbFile, target, new PostgresTenantStore(target), new PostgresNotificationStore(target), new PostgresPaymentStore(target));

        Assert.True(report.Verified, string.Join("\n", report.Mismatches));
        Assert.Equal(5, report.EventsCopied);
        Assert.Equal(0, report.EventsAlreadyPresent);
        Assert.Equal(3, report.LedgerCopied);
        Assert.Equal(["t1", "t2"], report.Source.Select(s => s.Tenant));
        Assert.Equal(4, report.Source[0].Events);
        Assert.Equal(1030.95m * 2, report.Source[0].InvoiceTotal);
        Assert.Equal(report.Source, report.Target);
        // Exact content and order, arrival order preserved (sequences are the target's own).
        var copied = target.ReadEvents("t1").ToList();
        Assert.Equal(sourceEvents.Select(e => e with { Sequence = 0 }), copied.Select(e => e with { Sequence = 0 }));
        Assert.NotNull(copied.Single(e => e.Id == "z").Fields);
        Assert.Equal(sourceEvents.OrderBy(e => e.Sequence).Select(e => e.Id), copied.OrderBy(e => e.Sequence).Select(e => e.Id));
        var inv2 = Invoice("inv-2", month: 4);
        Assert.Equal(Json(inv2), Json(target.FindInvoice("t1", "inv-2")! with { Lines = inv2.Lines }));
        Assert.Equal(inv2.Lines[0].SegmentFrom, target.FindInvoice("t1", "inv-2")!.Lines[0].SegmentFrom);
        Assert.Equal(["g-1"], target.ListGrants("t1", "no-events-customer").Select(g => g.Id));
        Assert.Equal(["l-1", "l-2"], target.ReadLedger("t1", "cust-1").Select(l => l.Id));
        Assert.Equal([Rejected("r-1", tenant: "t2")], target.ReadRejected("t2"));
        // Numbering continues where the file left off.
        Assert.Equal(4, target.NextInvoiceNumber("t1"));
        Assert.Equal(2, target.NextInvoiceNumber("t2"));
    }

    [Fact]
    public void Running_the_import_again_changes_nothing_and_still_verifies()
    {
        using (var source = new LiteDbBillingStore(LiteDbFile)) Fill(source);
        using var target = PostgresBillingStore.Open(_database.ConnectionString);
        var first = StoreImport.FromLiteDb(LiteDbFile, target, new PostgresTenantStore(target), new PostgresNotificationStore(target), new PostgresPaymentStore(target));

        var second = StoreImport.FromLiteDb(LiteDbFile, target, new PostgresTenantStore(target), new PostgresNotificationStore(target), new PostgresPaymentStore(target));

        Assert.True(second.Verified, string.Join("\n", second.Mismatches));
        Assert.Equal(0, second.EventsCopied);
        Assert.Equal(5, second.EventsAlreadyPresent);
        Assert.Equal(0, second.LedgerCopied);
        Assert.Equal(3, second.LedgerAlreadyPresent);
        Assert.Equal(first.Target, second.Target);
        Assert.Equal(3, StoreImport.LastInvoiceNumber(target, "t1"));
    }

    [Fact]
    public void A_target_that_differs_from_the_source_fails_verification_with_the_difference()
    {
        using (var source = new LiteDbBillingStore(LiteDbFile)) Fill(source);
        using var target = PostgresBillingStore.Open(_database.ConnectionString);
        target.AppendEvents([Event("stray", tenant: "t2")]);
        target.InTransaction(s => s.NextInvoiceNumber("t1") + s.NextInvoiceNumber("t1") + s.NextInvoiceNumber("t1") + s.NextInvoiceNumber("t1"));

        var report = StoreImport.FromLiteDb(LiteDbFile, target, new PostgresTenantStore(target), new PostgresNotificationStore(target), new PostgresPaymentStore(target));

        Assert.False(report.Verified);
        Assert.Equal(2, report.Mismatches.Count);
        Assert.StartsWith("tenant 't1': last invoice number 3 in the source but 4 in the target", report.Mismatches[0]);
        Assert.StartsWith("tenant 't2': source TenantSummary { Tenant = t2, Events = 1,", report.Mismatches[1]);
        Assert.Contains("but target TenantSummary { Tenant = t2, Events = 2,", report.Mismatches[1]);
    }

    [Fact]
    public void Importing_events_into_a_tenant_whose_outcome_state_exists_marks_that_state_stale_so_the_next_read_rebuilds_it()
    {
        using (var source = new LiteDbBillingStore(LiteDbFile)) Fill(source);
        using var target = PostgresBillingStore.Open(_database.ConnectionString);
        var rules = Outcomes.StoredOutcomesProperties.Rules;
        StoredOutcomes.Rebuild(target, "t1", rules);
        Assert.Equal(StoredOutcomes.StateHash(rules), OutcomeStateStores.For(target)!.Tenant("t1")!.RuleSetHash);

        StoreImport.FromLiteDb(LiteDbFile, target, new PostgresTenantStore(target), new PostgresNotificationStore(target), new PostgresPaymentStore(target));

        // The copied events bypassed ingestion: a close must not read a state that does not hold them.
        Assert.Equal("", OutcomeStateStores.For(target)!.Tenant("t1")!.RuleSetHash);
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        using var target = new LiteDbBillingStore(_directory.File("other.db"));

        var error = Assert.Throws<InvalidOperationException>(() => StoreImport.FromLiteDb(_directory.File("nope.db"), target, target.OpenTenantStore(), new LiteDbNotificationStore(target), new LiteDbPaymentStore(target)));

        Assert.StartsWith("no LiteDB store at", error.Message);
    }

    [Fact]
    public void Import_copies_host_data_with_rule_set_versions_subscriptions_and_payment_settings_and_a_second_run_adds_nothing()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(7);
        var key = new ApiKeyRecord(new string('a', 64), "t1", "rb_live_ab", at);
        var assignment = new ContractAssignment("cust-1", "standard", 2, new DateOnly(2026, 3, 1));
        var subscription = new WebhookSubscription("t1", "sub-1", "https://example.com/hook", ["invoice.finalized"], "whsec_1", [50, 90], at)
        {
            CreditsLowPercent = 10,
        };
        var account = new ProviderAccount("t1", PaymentProvider.Stripe, "sk_test_1", null, "whsec_stripe", null);
        var settings = new CustomerPaymentSettings("t1", "cust-1", PaymentProvider.Stripe);
        var mapping = new ProviderCustomer("t1", PaymentProvider.Stripe, "cust-1", "cus_123");
        var sync = SyncRecord.New("t1", "inv-1", 1, SyncAction.Push, PaymentProvider.Stripe, at) with { ProviderCustomerId = "cus_123" };
        var webhookEvent = new WebhookEvent("t1", PaymentProvider.Stripe, "evt_1", "invoice.paid", WebhookEventKind.Paid, "in_1", "inv-1", at, false, "{}");
        var state = new InvoicePaymentState("t1", "inv-1", PaymentProvider.Stripe, "in_1", PaymentState.Paid, at, "evt_1");
        StoredRuleSet v1, v2;
        AuditEntry audit;
        using (var source = new LiteDbBillingStore(LiteDbFile))
        {
            var host = source.OpenTenantStore();
            host.AddTenant(new TenantRecord("t1", "Tenant One", at));
            host.AddApiKey(key);
            host.AddCustomer(new CustomerRecord("t1", "cust-1", "Customer One", at));
            host.SetContractAssignment("t1", assignment);
            v1 = host.AddRuleSet("t1", "hash-1", [new StoredRuleFile("rules.rb", "outcome a {}")], at, null);
            v2 = host.AddRuleSet("t1", "hash-2", [new StoredRuleFile("rules.rb", "outcome b {}"), new StoredRuleFile("more.rb", "x")], at.AddDays(1), "second");
            audit = host.AppendAudit(new AuditEntry("t1", 0, at, "key:rb_live_ab", "ruleset.upload", "corr-1", true, null));
            using var sourceNotifications = new LiteDbNotificationStore(source);
            sourceNotifications.SaveSubscription(subscription);
            var sourcePayments = new LiteDbPaymentStore(source);
            sourcePayments.SaveAccount(account);
            sourcePayments.SaveCustomerSettings(settings);
            sourcePayments.SaveProviderCustomer(mapping);
            sourcePayments.AddSync(sync);
            sourcePayments.AddWebhookEvent(webhookEvent);
            sourcePayments.SavePaymentState(state);
        }
        using var target = PostgresBillingStore.Open(_database.ConnectionString);
        var tenants = new PostgresTenantStore(target);
        using var notifications = new PostgresNotificationStore(target);
        var payments = new PostgresPaymentStore(target);

        var first = StoreImport.FromLiteDb(LiteDbFile, target, tenants, notifications, payments);

        Assert.True(first.Verified, string.Join("\n", first.Mismatches));
        Assert.Equal(new HostCopied(1, 1, 1, 1, 2, 1, 1), first.HostCopied);
        Assert.Equal(first.HostSource, first.HostTarget);
        Assert.Equal(new HostSummary("t1", true, 1, 1, 1, 2, first.HostSource[0].RuleSetDigest, 1, 1, first.HostSource[0].SubscriptionDigest), first.HostTarget.Single());
        Assert.Equal(new TenantRecord("t1", "Tenant One", at), tenants.FindTenant("t1"));
        Assert.Equal(key, tenants.FindApiKey(key.KeyHash));
        Assert.Equal(new CustomerRecord("t1", "cust-1", "Customer One", at), tenants.FindCustomer("t1", "cust-1"));
        Assert.Equal([assignment], tenants.ListContractAssignments("t1", "cust-1"));
        var copied = tenants.ListRuleSets("t1");
        Assert.Equal([1, 2], copied.Select(r => r.Version));
        Assert.Equal([v1.Hash, v2.Hash], copied.Select(r => r.Hash));
        Assert.Equal(v2.Files, tenants.FindRuleSet("t1", 2)!.Files);
        Assert.Equal(v2 with { Files = [] }, tenants.FindRuleSet("t1", 2)! with { Files = [] });
        Assert.Equal([audit with { Sequence = 0 }], tenants.ReadAudit("t1").Select(a => a with { Sequence = 0 }));
        Assert.Equal(new PaymentCopied(1, 1, 1, 1, 1, 1), first.PaymentCopied);
        Assert.Equal([new PaymentSummary("t1", 1, 1, 1, 1, 1, 1)], first.PaymentTarget);
        Assert.Equal(first.PaymentSource, first.PaymentTarget);
        Assert.Equal(state, payments.FindPaymentState("t1", "inv-1"));
        Assert.Equal([webhookEvent], payments.ListUnappliedWebhookEvents());
        Assert.Equal(sync.Id, payments.FindSync(sync.Id)!.Id);
        Assert.Equal(account, payments.FindAccount("t1", PaymentProvider.Stripe));
        Assert.Equal(settings, payments.FindCustomerSettings("t1", "cust-1"));
        Assert.Equal(mapping, payments.FindProviderCustomer("t1", PaymentProvider.Stripe, "cust-1"));
        var copiedSubscription = notifications.ListSubscriptions("t1").Single();
        Assert.Equal(subscription.EventTypes, copiedSubscription.EventTypes);
        Assert.Equal(subscription.ThresholdPercents, copiedSubscription.ThresholdPercents);
        Assert.Equal(subscription, copiedSubscription with { EventTypes = subscription.EventTypes, ThresholdPercents = subscription.ThresholdPercents });

        var second = StoreImport.FromLiteDb(LiteDbFile, target, tenants, notifications, payments);

        Assert.True(second.Verified, string.Join("\n", second.Mismatches));
        Assert.Equal(new HostCopied(0, 0, 0, 0, 0, 0, 0), second.HostCopied);
        Assert.Equal(first.HostTarget, second.HostTarget);
        Assert.Equal(2, tenants.ListRuleSets("t1").Count);
        Assert.Single(tenants.ReadAudit("t1"));
        Assert.Single(notifications.ListSubscriptions("t1"));
        Assert.Equal(new PaymentCopied(0, 0, 0, 0, 0, 0), second.PaymentCopied);
    }

    private static void Fill(IBillingStore store)
    {
        store.AppendEvents([Event("c", minute: 3), Event("a", minute: 1), Event("b", subject: "cust-2") with { Time = T0.AddMonths(1) }]);
        // One event stored typed, as ingestion stores it: the import carries the typed form along with the JSON.
        store.AppendEvents([TypedSamples.Typed(TypedSamples.EveryType, TypedSamples.EveryTypeJson, "z"), Event("x", tenant: "t2")]);
        store.SaveInvoice(Invoice("inv-1"));
        store.SaveInvoice(Invoice("inv-2", month: 4));
        store.SaveGrant(Grant("g-1", customer: "no-events-customer"));
        store.SaveGrant(Grant("g-2"));
        store.AppendLedger(Ledger("l-1"));
        store.AppendLedger(Ledger("l-2", amount: 5.005m));
        store.AppendLedger(Ledger("l-9", tenant: "t2", customer: "someone"));
        store.AddRejected(Rejected("r-1", tenant: "t2"));
        store.InTransaction(s => s.NextInvoiceNumber("t1") + s.NextInvoiceNumber("t1") + s.NextInvoiceNumber("t1") + s.NextInvoiceNumber("t2"));
    }
}
