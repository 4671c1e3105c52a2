using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Storage.Postgres;
using RulesBilling.Engine.Tests.Billing;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>
/// The stores <c>serve</c> keeps beside billing data, on PostgreSQL, and what several nodes sharing them rely on:
/// each "node" here is its own <see cref="PostgresBillingStore"/> (own connection pool) on one test schema.
/// </summary>
public sealed class PostgresSharedStoresTests : IDisposable
{
    private static readonly DateTimeOffset March = At("2026-03-01T00:00:00Z");

    private readonly PostgresTestDatabase _database = new();
    private readonly List<PostgresBillingStore> _nodes = [];

    private PostgresBillingStore Node()
    {
        var store = PostgresBillingStore.Open(_database.ConnectionString);
        _nodes.Add(store);
        return store;
    }

    public void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void Concurrent_closes_of_one_period_on_several_nodes_make_one_invoice_with_one_number()
    {
        var nodes = Enumerable.Range(0, 4).Select(_ => Node()).ToList();
        Append(nodes[0], ClosedEvent("e1", "acme", "2026-03-02T10:00:00Z", "T-1"), ClosedEvent("e2", "acme", "2026-03-03T10:00:00Z", "T-2"));
        var clock = new Billing.TestClock(At("2026-04-02T00:00:00Z"));

        // Eight closes at once, two per node, each with its own engine: no claim in front, only the store's period lock.
        using var start = new Barrier(8);
        var invoices = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            var engine = new UseCases(nodes[i % 4], new FixedRuleSet(Rules()), clock);
            start.SignalAndWait();
            return engine.Finalize(T, "acme", March);
        })).ToList().Select(t => t.Result).ToList();

        Assert.Single(invoices.Select(i => (i.Id, i.Number, i.Total)).Distinct());
        Assert.Equal("INV-000001", invoices[0].Number);
        Assert.Single(nodes[1].ListInvoices(T), i => i.Status == InvoiceStatus.Finalized);
        // The next number is 2: no close drew a number it then threw away.
        Assert.Equal(2, nodes[2].InTransaction(tx => tx.NextInvoiceNumber(T)));
    }

    [Fact]
    public void The_outbox_row_commits_with_the_finalized_invoice_and_not_without_it()
    {
        var store = Node();
        var payments = new PostgresPaymentStore(store);
        Append(store, ClosedEvent("e1", "acme", "2026-03-02T10:00:00Z", "T-1"), ClosedEvent("e2", "beta", "2026-03-02T10:00:00Z", "T-2"));
        payments.SaveCustomerSettings(new CustomerPaymentSettings(T, "acme", PaymentProvider.Stripe));
        payments.SaveCustomerSettings(new CustomerPaymentSettings(T, "beta", PaymentProvider.Stripe));
        var clock = new Billing.TestClock(At("2026-04-02T00:00:00Z"));

        var failing = new UseCases(store, new FixedRuleSet(Rules()), clock, new FailingAfter(new PaymentOutbox(clock)));
        Assert.Throws<InvalidOperationException>(() => failing.Finalize(T, "beta", March));
        Assert.Empty(payments.ListSync());
        Assert.Empty(store.ListInvoices(T, "beta"));

        var invoice = new UseCases(store, new FixedRuleSet(Rules()), clock, new PaymentOutbox(clock)).Finalize(T, "acme", March);
        var row = Assert.Single(new PostgresPaymentStore(Node()).ListSync(T));
        Assert.Equal((invoice.Id, SyncAction.Push, PaymentProvider.Stripe, SyncStatus.Pending), (row.InvoiceId, row.Action, row.Provider, row.Status));
        Assert.False(payments.AddSync(row));
        // The failed close gave its number back: acme's invoice is number 1.
        Assert.Equal("INV-000001", invoice.Number);
    }

    [Fact]
    public void Payment_records_round_trip_through_their_json_and_keep_their_order()
    {
        var payments = new PostgresPaymentStore(Node());
        var account = new ProviderAccount(T, PaymentProvider.Razorpay, "rzp_key", "rzp_secret", "whsec", "http://127.0.0.1:9/");
        payments.SaveAccount(account);
        payments.SaveProviderCustomer(new ProviderCustomer(T, PaymentProvider.Razorpay, "acme", "cust_1"));
        var later = SyncRecord.New(T, "inv-b", 1, SyncAction.Push, PaymentProvider.Razorpay, March.AddHours(1));
        var earlier = SyncRecord.New(T, "inv-a", 1, SyncAction.Push, PaymentProvider.Razorpay, March);
        Assert.True(payments.AddSync(later));
        Assert.True(payments.AddSync(earlier));
        var advanced = later with { Step = "invoice", Attempts = 2, Keys = new Dictionary<string, string>(StringComparer.Ordinal) { ["customer"] = "k1" } };
        payments.SaveSync(advanced);
        var webhook = new WebhookEvent(T, PaymentProvider.Razorpay, "evt_1", "invoice.paid", WebhookEventKind.Paid, "inv_p", "inv-a", March, false, "{}");
        Assert.True(payments.AddWebhookEvent(webhook));
        Assert.False(payments.AddWebhookEvent(webhook));
        var state = new InvoicePaymentState(T, "inv-a", PaymentProvider.Razorpay, "inv_p", PaymentState.Paid, March, "evt_1");
        payments.SavePaymentState(state);

        var other = new PostgresPaymentStore(Node());
        Assert.Equal(account, other.FindAccount(T, PaymentProvider.Razorpay));
        Assert.Null(other.FindAccount(T, PaymentProvider.Stripe));
        Assert.Equal("cust_1", other.FindProviderCustomer(T, PaymentProvider.Razorpay, "acme")!.ProviderCustomerId);
        Assert.Equal(["inv-a", "inv-b"], other.ListSync(T).Select(r => r.InvoiceId));
        var found = other.FindSync(advanced.Id)!;
        Assert.Equal(("invoice", 2, "k1"), (found.Step, found.Attempts, found.Keys["customer"]));
        Assert.Equal([webhook], other.ListUnappliedWebhookEvents());
        other.SaveWebhookEvent(webhook with { Applied = true });
        Assert.Empty(payments.ListUnappliedWebhookEvents());
        Assert.Equal(state, other.FindPaymentState(T, "inv-a"));
        Assert.Empty(other.ListSync("another-tenant"));
    }

    [Fact]
    public void Tenants_keys_customers_assignments_and_audit_are_shared_between_nodes()
    {
        var a = new PostgresTenantStore(Node());
        var b = new PostgresTenantStore(Node());
        Assert.True(a.AddTenant(new TenantRecord("acme", "Acme", March)));
        Assert.False(b.AddTenant(new TenantRecord("acme", "Other", March)));
        Assert.Equal("Acme", b.FindTenant("acme")!.Name);
        Assert.Null(b.FindTenant("nobody"));

        a.AddApiKey(new ApiKeyRecord("hash-1", "acme", "rbk_ab", March));
        Assert.Equal(new ApiKeyRecord("hash-1", "acme", "rbk_ab", March), b.FindApiKey("hash-1"));

        Assert.True(a.AddCustomer(new CustomerRecord("acme", "zed", null, March)));
        Assert.True(b.AddCustomer(new CustomerRecord("acme", "Ann", "Ann Ltd", March)));
        Assert.False(b.AddCustomer(new CustomerRecord("acme", "zed", "again", March)));
        a.UpdateCustomer(new CustomerRecord("acme", "zed", "Zed Inc", March));
        Assert.Equal([("Ann", "Ann Ltd"), ("zed", "Zed Inc")], b.ListCustomers("acme").Select(c => (c.Id, c.Name)));

        a.SetContractAssignment("acme", new ContractAssignment("zed", "gold", 2, new DateOnly(2026, 5, 1)));
        a.SetContractAssignment("acme", new ContractAssignment("zed", "silver", null, new DateOnly(2026, 3, 1)));
        b.SetContractAssignment("acme", new ContractAssignment("zed", "platinum", null, new DateOnly(2026, 5, 1)));
        Assert.Equal(
            [new ContractAssignment("zed", "silver", null, new DateOnly(2026, 3, 1)), new ContractAssignment("zed", "platinum", null, new DateOnly(2026, 5, 1))],
            a.ListContractAssignments("acme", "zed"));

        var first = a.AppendAudit(new AuditEntry("acme", 0, March, "key rbk_ab", "customer.create zed", "c-1", true, null));
        var second = b.AppendAudit(new AuditEntry("acme", 0, March, "key rbk_ab", "invoice.finalize", null, false, "409"));
        Assert.True(second.Sequence > first.Sequence);
        Assert.Equal([first, second], a.ReadAudit("acme"));
    }

    [Fact]
    public void Rule_sets_uploaded_at_once_on_two_nodes_get_distinct_versions_and_the_latest_is_visible_everywhere()
    {
        var a = new PostgresTenantStore(Node());
        var b = new PostgresTenantStore(Node());
        Assert.Equal(0, b.LatestRuleSetVersion("acme"));
        var files = new List<StoredRuleFile> { new("a.rules", "event x {}\n"), new("b/c.rules", "// ü\n") };

        using var start = new Barrier(10);
        var versions = Enumerable.Range(0, 10).Select(i => Task.Run(() =>
        {
            start.SignalAndWait();
            return (i % 2 == 0 ? a : b).AddRuleSet("acme", $"hash-{i}", files, March, i == 0 ? null : $"upload {i}").Version;
        })).ToList().Select(t => t.Result).Order().ToList();

        Assert.Equal(Enumerable.Range(1, 10), versions);
        Assert.Equal(10, a.LatestRuleSetVersion("acme"));
        Assert.Equal(Enumerable.Range(1, 10), b.ListRuleSets("acme").Select(r => r.Version));
        var one = b.FindRuleSet("acme", 3)!;
        Assert.Equal(files, one.Files);
        Assert.Null(b.FindRuleSet("acme", 11));
        Assert.Equal(0, a.LatestRuleSetVersion("other"));
    }

    [Fact]
    public void Due_deliveries_are_leased_so_two_nodes_never_send_the_same_one_and_a_lapsed_lease_makes_it_due_again()
    {
        var lease = TimeSpan.FromMinutes(2);
        var a = new PostgresNotificationStore(Node(), lease);
        var b = new PostgresNotificationStore(Node(), lease);
        var subscription = new WebhookSubscription(T, "wh-1", "http://127.0.0.1:9/hook", ["invoice.finalized"], "whsec_1", [50, 80], March);
        a.SaveSubscription(subscription);
        var shared = Assert.Single(b.ListSubscriptions(T));
        Assert.Equal((subscription.Url, subscription.Secret, subscription.CreatedAt), (shared.Url, shared.Secret, shared.CreatedAt));
        Assert.Equal(subscription.EventTypes, shared.EventTypes);
        Assert.Equal(subscription.ThresholdPercents, shared.ThresholdPercents);
        var deliveries = Enumerable.Range(0, 20).Select(i => new WebhookDelivery(T, $"dlv-{i:00}", "wh-1", "n-1", "invoice.finalized",
            subscription.Url, "{}", DeliveryStatus.Pending, March, March.AddSeconds(i), [])).ToList();
        var notification = new Notification(T, "n-1", "invoice.finalized", "acme", March, "{}");
        Assert.True(a.AddNotification(notification, deliveries));
        Assert.False(b.AddNotification(notification, deliveries));

        var now = March.AddMinutes(1);
        using var start = new Barrier(2);
        var taken = new[] { a, b }.Select(store => Task.Run(() =>
        {
            start.SignalAndWait();
            var mine = new List<WebhookDelivery>();
            while (store.DueDeliveries(now, 3) is { Count: > 0 } batch) mine.AddRange(batch);
            return mine;
        })).ToList().Select(t => t.Result).ToList();

        // Every delivery went to exactly one node, with its real next-attempt time.
        Assert.Equal(deliveries.Select(Shape), taken.SelectMany(t => t).OrderBy(d => d.Id, StringComparer.Ordinal).Select(Shape));
        Assert.Empty(a.DueDeliveries(now, 100));

        // One is delivered, one is retried later; the rest belong to a node that died: due again after the lease.
        var attempt = new DeliveryAttempt(1, now, 200, null);
        a.UpdateDelivery(deliveries[0] with { Status = DeliveryStatus.Delivered, Attempts = [attempt] });
        b.UpdateDelivery(deliveries[1] with { NextAttemptAt = now.AddMinutes(30), Attempts = [attempt with { StatusCode = 500, Error = "HTTP 500" }] });
        Assert.Equal(deliveries.Skip(2).Select(d => d.Id), b.DueDeliveries(now + lease, 100).Select(d => d.Id));
        var listed = a.ListDeliveries(T);
        Assert.Equal(20, listed.Count);
        Assert.Equal((DeliveryStatus.Delivered, 200), (listed[0].Status, listed[0].Attempts.Single().StatusCode));
        Assert.Equal("HTTP 500", listed[1].Attempts.Single().Error);
        Assert.True(b.DeleteSubscription(T, "wh-1"));
        Assert.False(a.DeleteSubscription(T, "wh-1"));
    }

    private static (string, string, string, DeliveryStatus, DateTimeOffset, DateTimeOffset, int) Shape(WebhookDelivery d) =>
        (d.Id, d.NotificationId, d.Body, d.Status, d.CreatedAt, d.NextAttemptAt, d.Attempts.Count);

    private sealed class FailingAfter(IFinalizationListener inner) : IFinalizationListener
    {
        public void Finalized(IStoreSession transaction, Invoice invoice)
        {
            inner.Finalized(transaction, invoice);
            throw new InvalidOperationException("crash after the outbox write");
        }

        public void Voided(IStoreSession transaction, Invoice invoice) => inner.Voided(transaction, invoice);
    }
}
