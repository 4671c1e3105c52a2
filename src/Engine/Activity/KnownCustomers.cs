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
}
