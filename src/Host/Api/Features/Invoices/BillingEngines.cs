using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Api.Features.Invoices;

/// <summary>
/// A <see cref="BillingEngine"/> bound to one tenant's rule set in force, honouring the contract assignments
/// stored for its customers, and telling <paramref name="listener"/> (the payments outbox and the invoice
/// notifications) of each finalization, void and hold inside its transaction.
/// </summary>
internal sealed class BillingEngines(IBillingStore store, IRuleSetSource rules, IContractAssignmentSource assignments, TimeProvider clock, IFinalizationListener listener)
{
    public BillingEngine For(string tenant) => new(store, rules, clock, listener, assignments);
}
