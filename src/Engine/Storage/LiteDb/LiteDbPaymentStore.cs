using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;
using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// <see cref="IPaymentStore"/> in the billing store's LiteDB file: its writes take that store's writer lock and join
/// the transaction the thread runs, so an outbox row commits with the finalized invoice or not at all. Records are
/// kept as JSON in a <c>json</c> field next to the few fields that are queried.
/// </summary>
public sealed class LiteDbPaymentStore : IPaymentStore
{
    private readonly LiteDbBillingStore _billing;
    private readonly ILiteCollection<BsonDocument> _accounts;
    private readonly ILiteCollection<BsonDocument> _settings;
    private readonly ILiteCollection<BsonDocument> _customers;
    private readonly ILiteCollection<BsonDocument> _sync;
    private readonly ILiteCollection<BsonDocument> _events;
    private readonly ILiteCollection<BsonDocument> _states;

    public LiteDbPaymentStore(LiteDbBillingStore billing)
    {
        ArgumentNullException.ThrowIfNull(billing);
        _billing = billing;
        _accounts = billing.ModuleCollection("pay_accounts");
        _settings = billing.ModuleCollection("pay_settings");
        _customers = billing.ModuleCollection("pay_customers");
        _sync = billing.ModuleCollection("pay_sync");
        _events = billing.ModuleCollection("pay_events");
        _states = billing.ModuleCollection("pay_states");
        billing.WriteModule(() => _events.EnsureIndex("applied"));
    }

    public void SaveAccount(ProviderAccount account) => Upsert(_accounts, StoreKey.Compose(account.Tenant, account.Provider.ToString()), account);

    public ProviderAccount? FindAccount(string tenant, PaymentProvider provider) =>
        Find<ProviderAccount>(_accounts, StoreKey.Compose(tenant, provider.ToString()));

    public void SaveCustomerSettings(CustomerPaymentSettings settings) =>
        Upsert(_settings, StoreKey.Compose(settings.Tenant, settings.Customer), settings);

    public CustomerPaymentSettings? FindCustomerSettings(string tenant, string customer) =>
        Find<CustomerPaymentSettings>(_settings, StoreKey.Compose(tenant, customer));

    public void SaveProviderCustomer(ProviderCustomer mapping) =>
        Upsert(_customers, StoreKey.Compose(mapping.Tenant, mapping.Provider.ToString(), mapping.Customer), mapping);

    public ProviderCustomer? FindProviderCustomer(string tenant, PaymentProvider provider, string customer) =>
        Find<ProviderCustomer>(_customers, StoreKey.Compose(tenant, provider.ToString(), customer));

    public bool AddSync(SyncRecord record) => _billing.WriteModule(() =>
    {
        if (_sync.FindById(record.Id) is not null) return false;
        _sync.Insert(Document(record.Id, record));
        return true;
    });

    public void SaveSync(SyncRecord record) => Upsert(_sync, record.Id, record);

    public SyncRecord? FindSync(string id) => Find<SyncRecord>(_sync, id);

    public IReadOnlyList<SyncRecord> ListSync(string? tenant = null) =>
        PaymentOrder.Sync(_sync.FindAll().Select(Read<SyncRecord>).Where(r => tenant is null || r.Tenant == tenant));

    public bool AddWebhookEvent(WebhookEvent webhookEvent) => _billing.WriteModule(() =>
    {
        var id = EventKey(webhookEvent);
        if (_events.FindById(id) is not null) return false;
        _events.Insert(Document(id, webhookEvent, ("applied", webhookEvent.Applied)));
        return true;
    });

    public void SaveWebhookEvent(WebhookEvent webhookEvent) =>
        _billing.WriteModule(() => _events.Upsert(Document(EventKey(webhookEvent), webhookEvent, ("applied", webhookEvent.Applied))));

    public IReadOnlyList<WebhookEvent> ListUnappliedWebhookEvents() =>
        PaymentOrder.Events(_events.Find(Query.EQ("applied", false)).Select(Read<WebhookEvent>).Where(e => !e.Applied));

    public void SavePaymentState(InvoicePaymentState state) => Upsert(_states, StoreKey.Compose(state.Tenant, state.InvoiceId), state);

    public InvoicePaymentState? FindPaymentState(string tenant, string invoiceId) =>
        Find<InvoicePaymentState>(_states, StoreKey.Compose(tenant, invoiceId));

    private static string EventKey(WebhookEvent e) => StoreKey.Compose(e.Tenant, e.Provider.ToString(), e.EventId);

    private void Upsert<T>(ILiteCollection<BsonDocument> collection, string id, T value) =>
        _billing.WriteModule(() => collection.Upsert(Document(id, value)));

    private static T? Find<T>(ILiteCollection<BsonDocument> collection, string id) where T : class =>
        collection.FindById(id) is { } document ? Read<T>(document) : null;

    private static BsonDocument Document<T>(string id, T value, params (string Name, BsonValue Value)[] indexed)
    {
        var document = new BsonDocument { ["_id"] = id, ["json"] = JsonSerializer.Serialize(value, PaymentJson.Options) };
        foreach (var (name, v) in indexed) document[name] = v;
        return document;
    }

    private static T Read<T>(BsonDocument document) =>
        JsonSerializer.Deserialize<T>(document["json"].AsString, PaymentJson.Options)
        ?? throw new InvalidOperationException($"stored payment record '{document["_id"].AsString}' is empty");
}
