using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Features.RuleSets;

namespace RulesBilling.Host.Api.Features.Invoices;

/// <summary>
/// A <see cref="BillingEngine"/> bound to one tenant's rule set in force, honouring the contract assignments
/// stored for its customers, and writing the payments outbox in its finalize and void transactions.
/// </summary>
internal sealed class BillingEngines(IBillingStore store, ITenantStore tenants, RuleSetCatalog catalog, TimeProvider clock, IFinalizationListener payments)
{
    public BillingEngine For(string tenant) =>
        new(store, () => catalog.Require(tenant).RuleSet, clock, payments, tenants.ListContractAssignments);
}
