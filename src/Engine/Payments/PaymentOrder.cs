namespace RulesBilling.Engine.Payments;

/// <summary>The one ordering of listed records, shared by both store backends.</summary>
internal static class PaymentOrder
{
    public static IReadOnlyList<SyncRecord> Sync(IEnumerable<SyncRecord> records) =>
        records.OrderBy(r => r.CreatedAt.UtcTicks).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

    public static IReadOnlyList<WebhookEvent> Events(IEnumerable<WebhookEvent> events) =>
        events.OrderBy(e => e.ReceivedAt.UtcTicks).ThenBy(e => e.EventId, StringComparer.Ordinal).ToList();
}
