namespace RulesBilling.Engine.Payments;

/// <summary>
/// Persistence of the payments module: provider accounts, customer settings and mappings, the outbox, the webhook
/// inbox and payment states. Writes made while the billing store runs a transaction on this thread join it
/// (the outbox row commits or rolls back with the finalized invoice).
/// </summary>
public interface IPaymentStore
{
    void SaveAccount(ProviderAccount account);
    ProviderAccount? FindAccount(string tenant, PaymentProvider provider);

    void SaveCustomerSettings(CustomerPaymentSettings settings);
    /// <summary>Null when nothing is configured (treated as <see cref="PaymentProvider.None"/>).</summary>
    CustomerPaymentSettings? FindCustomerSettings(string tenant, string customer);

    void SaveProviderCustomer(ProviderCustomer mapping);
    ProviderCustomer? FindProviderCustomer(string tenant, PaymentProvider provider, string customer);

    /// <summary>Inserts the record unless one with the same <see cref="SyncRecord.Id"/> exists; true when inserted.</summary>
    bool AddSync(SyncRecord record);
    /// <summary>Replaces the record with the same id (a checkpoint).</summary>
    void SaveSync(SyncRecord record);
    SyncRecord? FindSync(string id);
    /// <summary>Every record, ordered by CreatedAt then Id (ordinal).</summary>
    IReadOnlyList<SyncRecord> ListSync(string? tenant = null);

    /// <summary>Stores the event unless (tenant, provider, event id) is already stored; true when inserted.</summary>
    bool AddWebhookEvent(WebhookEvent webhookEvent);
    void SaveWebhookEvent(WebhookEvent webhookEvent);
    /// <summary>Events not yet applied, ordered by ReceivedAt then EventId.</summary>
    IReadOnlyList<WebhookEvent> ListUnappliedWebhookEvents();

    void SavePaymentState(InvoicePaymentState state);
    InvoicePaymentState? FindPaymentState(string tenant, string invoiceId);
}
