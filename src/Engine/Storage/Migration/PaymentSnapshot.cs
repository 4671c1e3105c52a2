using LiteDB;
using RulesBilling.Engine.Payments;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace RulesBilling.Engine.Storage.Migration;

/// <summary>
/// The payments module's records in a LiteDB store file (the <c>pay_*</c> collections <see cref="LiteDbPaymentStore"/>
/// writes, each record kept whole as JSON), read from the database <see cref="LiteDbSnapshot"/> opened read-only.
/// </summary>
public sealed record PaymentSnapshot(
    IReadOnlyList<ProviderAccount> Accounts,
    IReadOnlyList<CustomerPaymentSettings> Settings,
    IReadOnlyList<ProviderCustomer> CustomerMappings,
    IReadOnlyList<SyncRecord> Sync,
    IReadOnlyList<WebhookEvent> WebhookEvents,
    IReadOnlyList<InvoicePaymentState> States)
{
    internal static PaymentSnapshot Read(LiteDatabase db) => new(
        All<ProviderAccount>(db, "pay_accounts"),
        All<CustomerPaymentSettings>(db, "pay_settings"),
        All<ProviderCustomer>(db, "pay_customers"),
        All<SyncRecord>(db, "pay_sync"),
        All<WebhookEvent>(db, "pay_events"),
        All<InvoicePaymentState>(db, "pay_states"));

    /// <summary>The record's stored JSON: equal JSON means an equal record.</summary>
    internal static string Stored<T>(T value) => JsonSerializer.Serialize(value, PaymentJson.Options);

    // Ordered by the document id, which is the store's key, so the copy order is deterministic.
    private static List<T> All<T>(LiteDatabase db, string collection) =>
        db.GetCollection(collection).FindAll()
            .OrderBy(d => d["_id"].AsString, StringComparer.Ordinal)
            .Select(d => JsonSerializer.Deserialize<T>(d["json"].AsString, PaymentJson.Options)
                ?? throw new InvalidOperationException($"stored payment record '{d["_id"].AsString}' in {collection} is empty"))
            .ToList();
}
