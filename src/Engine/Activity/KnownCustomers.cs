using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Activity;

/// <summary>Whether a customer is the subject of any accepted event, without reading the tenant's events.</summary>
public static class KnownCustomers
{
    /// <summary>
    /// One indexed look-up of the customer's outcome-state change row (written by every append that touches the
    /// customer); only when there is none — a store without state, events stored without the ingestor, or truly
    /// unknown — the tenant's customers are listed from its events.
    /// </summary>
    public static bool HasEvents(IBillingStore store, string tenant, string customer)
    {
        ArgumentNullException.ThrowIfNull(store);
        return StoredOutcomes.CustomerVersion(store, tenant, customer) is not null
            || store.Customers(tenant).Contains(customer, StringComparer.Ordinal);
    }

    /// <summary>
    /// The customers whose outcome state changed after change version <paramref name="version"/> (every append that
    /// touches a customer writes its change row), and the version to ask from next; null for a store without outcome
    /// state. What the background threshold check reads instead of every customer's events.
    /// </summary>
    public static (IReadOnlyList<string> Customers, long Version)? ChangedSince(IBillingStore store, string tenant, long version)
    {
        ArgumentNullException.ThrowIfNull(store);
        return StoredOutcomes.ChangesSince(store, tenant, version) is { } changes
            ? (changes.Changes.Select(c => c.Customer).Distinct(StringComparer.Ordinal).ToList(), changes.Version)
            : null;
    }

    /// <summary>Every tenant with outcome state (ordinal), or null for a store without it.</summary>
    public static IReadOnlyList<string>? Tenants(IBillingStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.OutcomeState()?.Tenants();
    }
}
