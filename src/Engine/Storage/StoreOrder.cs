using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// The output orders every <see cref="IBillingStore"/> implementation shares, so that reads are deterministic
/// and identical across backends. All string comparisons are ordinal.
/// </summary>
internal static class StoreOrder
{
    public static IReadOnlyList<StoredEvent> Events(IEnumerable<StoredEvent> events) =>
        events.OrderBy(e => e.Time.UtcTicks)
            .ThenBy(e => e.Source, StringComparer.Ordinal)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<string> Customers(IEnumerable<string> subjects) =>
        subjects.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<RejectedEvent> Rejected(IEnumerable<RejectedEvent> rejected) =>
        rejected.OrderBy(r => r.RejectedAt.UtcTicks).ThenBy(r => r.RejectionId, StringComparer.Ordinal).ToList();

    public static IReadOnlyList<Invoice> Invoices(IEnumerable<Invoice> invoices) =>
        invoices.OrderBy(i => i.PeriodFrom.UtcTicks).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();

    public static IReadOnlyList<CreditGrant> Grants(IEnumerable<CreditGrant> grants) =>
        grants.OrderBy(g => g.GrantedAt.UtcTicks).ThenBy(g => g.Id, StringComparer.Ordinal).ToList();
}
