using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Features.RuleSets;

namespace RulesBilling.Host.Api.Features.Invoices;

/// <summary>A <see cref="BillingEngine"/> bound to one tenant's rule set in force (with its contract assignments).</summary>
internal sealed class BillingEngines(IBillingStore store, RuleSetCatalog catalog, TimeProvider clock)
{
    public BillingEngine For(string tenant) => new(store, () => catalog.Require(tenant).RuleSet, clock);
}
