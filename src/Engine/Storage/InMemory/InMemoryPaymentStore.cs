using System.Collections.Immutable;
using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// <see cref="IPaymentStore"/> inside an <see cref="InMemoryBillingStore"/>'s snapshots, so outbox rows written
/// during a billing transaction commit or roll back with it. For tests and simulation.
/// </summary>
public sealed class InMemoryPaymentStore(InMemoryBillingStore billing) : IPaymentStore
{
    private const string Module = "payments";

    public void SaveAccount(ProviderAccount account) =>
        Change(d => d with { Accounts = d.Accounts.SetItem((account.Tenant, account.Provider), account) });

    public ProviderAccount? FindAccount(string tenant, PaymentProvider provider) => Data.Accounts.GetValueOrDefault((tenant, provider));

    public void SaveCustomerSettings(CustomerPaymentSettings settings) =>
        Change(d => d with { Settings = d.Settings.SetItem((settings.Tenant, settings.Customer), settings) });

    public CustomerPaymentSettings? FindCustomerSettings(string tenant, string customer) => Data.Settings.GetValueOrDefault((tenant, customer));

    public void SaveProviderCustomer(ProviderCustomer mapping) =>
        Change(d => d with { Customers = d.Customers.SetItem((mapping.Tenant, mapping.Provider, mapping.Customer), mapping) });

    public ProviderCustomer? FindProviderCustomer(string tenant, PaymentProvider provider, string customer) =>
        Data.Customers.GetValueOrDefault((tenant, provider, customer));

    public bool AddSync(SyncRecord record) => billing.WriteModule(Module, state =>
    {
        var d = AsData(state);
        return d.Sync.ContainsKey(record.Id) ? (d, false) : (d with { Sync = d.Sync.Add(record.Id, record) }, true);
    });

    public void SaveSync(SyncRecord record) => Change(d => d with { Sync = d.Sync.SetItem(record.Id, record) });

    public SyncRecord? FindSync(string id) => Data.Sync.GetValueOrDefault(id);

    public IReadOnlyList<SyncRecord> ListSync(string? tenant = null) => PaymentOrder.Sync(Data.Sync.Values.Where(r => tenant is null || r.Tenant == tenant));

    public bool AddWebhookEvent(WebhookEvent webhookEvent) => billing.WriteModule(Module, state =>
    {
        var d = AsData(state);
        var key = (webhookEvent.Tenant, webhookEvent.Provider, webhookEvent.EventId);
        return d.Events.ContainsKey(key) ? (d, false) : (d with { Events = d.Events.Add(key, webhookEvent) }, true);
    });

    public void SaveWebhookEvent(WebhookEvent webhookEvent) =>
        Change(d => d with { Events = d.Events.SetItem((webhookEvent.Tenant, webhookEvent.Provider, webhookEvent.EventId), webhookEvent) });

    public IReadOnlyList<WebhookEvent> ListUnappliedWebhookEvents() => PaymentOrder.Events(Data.Events.Values.Where(e => !e.Applied));

    public void SavePaymentState(InvoicePaymentState state) =>
        Change(d => d with { States = d.States.SetItem((state.Tenant, state.InvoiceId), state) });

    public InvoicePaymentState? FindPaymentState(string tenant, string invoiceId) => Data.States.GetValueOrDefault((tenant, invoiceId));

    private PaymentData Data => AsData(billing.ReadModule(Module));

    private void Change(Func<PaymentData, PaymentData> change) => billing.WriteModule(Module, state => ((object)change(AsData(state)), 0));

    private static PaymentData AsData(object? state) => state as PaymentData ?? PaymentData.Empty;

    private sealed record PaymentData(
        ImmutableDictionary<(string, PaymentProvider), ProviderAccount> Accounts,
        ImmutableDictionary<(string, string), CustomerPaymentSettings> Settings,
        ImmutableDictionary<(string, PaymentProvider, string), ProviderCustomer> Customers,
        ImmutableDictionary<string, SyncRecord> Sync,
        ImmutableDictionary<(string, PaymentProvider, string), WebhookEvent> Events,
        ImmutableDictionary<(string, string), InvoicePaymentState> States)
    {
        public static readonly PaymentData Empty = new(
            ImmutableDictionary<(string, PaymentProvider), ProviderAccount>.Empty,
            ImmutableDictionary<(string, string), CustomerPaymentSettings>.Empty,
            ImmutableDictionary<(string, PaymentProvider, string), ProviderCustomer>.Empty,
            ImmutableDictionary.Create<string, SyncRecord>(StringComparer.Ordinal),
            ImmutableDictionary<(string, PaymentProvider, string), WebhookEvent>.Empty,
            ImmutableDictionary<(string, string), InvoicePaymentState>.Empty);
    }
}
