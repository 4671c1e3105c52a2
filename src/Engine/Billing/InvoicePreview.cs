using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Billing.BillingDocuments;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// The use case "what would the invoice be now": a draft of a customer's period, with credits as they would apply,
/// rated with the tenant's rule set in force at the call. Stores nothing.
/// </summary>
public sealed class InvoicePreview
{
    private readonly IBillingStore _store;
    private readonly CustomerRating _rating;
    private readonly TimeProvider _time;

    /// <param name="rules">Gives the tenant's rule set in force now (it may be reloaded between calls).</param>
    /// <param name="assignments">
    /// Gives the explicit contract assignments of (tenant, customer); they win over the rule files' customer lists
    /// (see <see cref="ContractAssignment"/>). None when omitted.
    /// </param>
    public InvoicePreview(
        IBillingStore store, IRuleSetSource rules, TimeProvider time,
        IContractAssignmentSource? assignments = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _rating = new CustomerRating(store, rules, assignments);
        _time = time;
    }

    /// <summary>
    /// Drafts the invoice of the period containing <paramref name="at"/> (default: now) with credits as they would
    /// apply; stores nothing. Outcomes still in their validation window at the period end are shown as pending.
    /// When the period is already invoiced, <see cref="PreviewResult.Issued"/> names that invoice and the corrections
    /// a <see cref="InvoiceCorrections.Corrections"/> run would issue from the current events.
    /// </summary>
    public PreviewResult Preview(string tenant, string customer, DateTimeOffset? at = null)
    {
        RequireNames(tenant, customer);
        var rules = _rating.RulesOf(tenant);
        var period = _rating.PeriodAt(tenant, rules, customer, at ?? _time.GetUtcNow());
        var rated = _rating.Rate(tenant, customer, rules, period);
        var issued = IssuedInvoice.Of(_store, tenant, customer, period, rated.Draft, _time.GetUtcNow());
        if (rated.Draft is null) return new PreviewResult([], rated.Errors) { Issued = issued };
        var balances = CreditApplier.Balances(_store.ListGrants(tenant, customer), _store.ReadLedger(tenant, customer));
        var credited = CreditApplier.ApplyTo(rated.Draft, balances, _time.GetUtcNow()).Invoice;
        return new PreviewResult([credited], rated.Errors) { Issued = issued };
    }
}
