using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Storage.Postgres;

/// <summary>
/// <see cref="IPaymentStore"/> in the billing store's PostgreSQL schema (0004_payments.sql), on its connections: a
/// write made while the billing store runs a transaction on this thread joins it, so the outbox row of a finalized
/// invoice commits with the invoice or not at all, on every node. Records are kept whole as JSON (the serialization
/// of the LiteDB backend) beside the columns that are queried.
/// </summary>
public sealed class PostgresPaymentStore(PostgresBillingStore store) : IPaymentStore
{
    public void SaveAccount(ProviderAccount account) => store.Write(scope => Upsert(scope,
        "INSERT INTO pay_accounts (tenant, provider, record) VALUES (@tenant, @provider, @record) ON CONFLICT (tenant, provider) DO UPDATE SET record = EXCLUDED.record",
        account, ("tenant", account.Tenant), ("provider", account.Provider.ToString())));

    public ProviderAccount? FindAccount(string tenant, PaymentProvider provider) =>
        Find<ProviderAccount>("SELECT record FROM pay_accounts WHERE tenant = @tenant AND provider = @provider", ("tenant", tenant), ("provider", provider.ToString()));

    public void SaveCustomerSettings(CustomerPaymentSettings settings) => store.Write(scope => Upsert(scope,
        "INSERT INTO pay_settings (tenant, customer, record) VALUES (@tenant, @customer, @record) ON CONFLICT (tenant, customer) DO UPDATE SET record = EXCLUDED.record",
        settings, ("tenant", settings.Tenant), ("customer", settings.Customer)));

    public CustomerPaymentSettings? FindCustomerSettings(string tenant, string customer) =>
        Find<CustomerPaymentSettings>("SELECT record FROM pay_settings WHERE tenant = @tenant AND customer = @customer", ("tenant", tenant), ("customer", customer));

    public void SaveProviderCustomer(ProviderCustomer mapping) => store.Write(scope => Upsert(scope,
        """
        INSERT INTO pay_customers (tenant, provider, customer, record) VALUES (@tenant, @provider, @customer, @record)
        ON CONFLICT (tenant, provider, customer) DO UPDATE SET record = EXCLUDED.record
        """,
        mapping, ("tenant", mapping.Tenant), ("provider", mapping.Provider.ToString()), ("customer", mapping.Customer)));

    public ProviderCustomer? FindProviderCustomer(string tenant, PaymentProvider provider, string customer) => Find<ProviderCustomer>(
        "SELECT record FROM pay_customers WHERE tenant = @tenant AND provider = @provider AND customer = @customer",
        ("tenant", tenant), ("provider", provider.ToString()), ("customer", customer));

    public bool AddSync(SyncRecord record) => store.Write(scope => Upsert(scope,
        "INSERT INTO pay_sync (id, tenant, created_at_ticks, record) VALUES (@id, @tenant, @created, @record) ON CONFLICT DO NOTHING",
        record, ("id", record.Id), ("tenant", record.Tenant), ("created", record.CreatedAt.UtcTicks)) == 1);

    public void SaveSync(SyncRecord record) => store.Write(scope => Upsert(scope,
        """
        INSERT INTO pay_sync (id, tenant, created_at_ticks, record) VALUES (@id, @tenant, @created, @record)
        ON CONFLICT (id) DO UPDATE SET tenant = EXCLUDED.tenant, created_at_ticks = EXCLUDED.created_at_ticks, record = EXCLUDED.record
        """,
        record, ("id", record.Id), ("tenant", record.Tenant), ("created", record.CreatedAt.UtcTicks)));

    public SyncRecord? FindSync(string id) => Find<SyncRecord>("SELECT record FROM pay_sync WHERE id = @id", ("id", id));

    public IReadOnlyList<SyncRecord> ListSync(string? tenant = null) => PaymentOrder.Sync(
        List<SyncRecord>("SELECT record FROM pay_sync" + (tenant is null ? "" : " WHERE tenant = @tenant"), ("tenant", tenant)));

    public bool AddWebhookEvent(WebhookEvent webhookEvent) => store.Write(scope => Upsert(scope,
        """
        INSERT INTO pay_events (tenant, provider, event_id, received_at_ticks, applied, record)
        VALUES (@tenant, @provider, @event, @received, @applied, @record) ON CONFLICT DO NOTHING
        """,
        webhookEvent, EventColumns(webhookEvent)) == 1);

    public void SaveWebhookEvent(WebhookEvent webhookEvent) => store.Write(scope => Upsert(scope,
        """
        INSERT INTO pay_events (tenant, provider, event_id, received_at_ticks, applied, record)
        VALUES (@tenant, @provider, @event, @received, @applied, @record)
        ON CONFLICT (tenant, provider, event_id) DO UPDATE SET
            received_at_ticks = EXCLUDED.received_at_ticks, applied = EXCLUDED.applied, record = EXCLUDED.record
        """,
        webhookEvent, EventColumns(webhookEvent)));

    public IReadOnlyList<WebhookEvent> ListUnappliedWebhookEvents() =>
        PaymentOrder.Events(List<WebhookEvent>("SELECT record FROM pay_events WHERE NOT applied"));

    public void SavePaymentState(InvoicePaymentState state) => store.Write(scope => Upsert(scope,
        "INSERT INTO pay_states (tenant, invoice_id, record) VALUES (@tenant, @invoice, @record) ON CONFLICT (tenant, invoice_id) DO UPDATE SET record = EXCLUDED.record",
        state, ("tenant", state.Tenant), ("invoice", state.InvoiceId)));

    public InvoicePaymentState? FindPaymentState(string tenant, string invoiceId) =>
        Find<InvoicePaymentState>("SELECT record FROM pay_states WHERE tenant = @tenant AND invoice_id = @invoice", ("tenant", tenant), ("invoice", invoiceId));

    private static (string, object?)[] EventColumns(WebhookEvent e) =>
        [("tenant", e.Tenant), ("provider", e.Provider.ToString()), ("event", e.EventId), ("received", e.ReceivedAt.UtcTicks), ("applied", e.Applied)];

    /// <summary>Runs an insert/upsert with the record as its <c>@record</c> JSON parameter; returns the rows written.</summary>
    private static int Upsert<T>(PostgresBillingStore.Scope scope, string sql, T record, params (string Name, object? Value)[] columns)
    {
        using var command = scope.Command(sql, columns);
        command.Parameters.Add(new NpgsqlParameter("record", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(record, PaymentJson.Options) });
        return command.ExecuteNonQuery();
    }

    private T? Find<T>(string sql, params (string Name, object? Value)[] parameters) where T : class => List<T>(sql, parameters).SingleOrDefault();

    private List<T> List<T>(string sql, params (string Name, object? Value)[] parameters) => store.Read(scope =>
    {
        using var command = scope.Command(sql, parameters);
        return PostgresBillingStore.ReadAll(command, r => JsonSerializer.Deserialize<T>(r.GetString(0), PaymentJson.Options)
            ?? throw new InvalidOperationException("a stored payment record is empty"));
    });
}
