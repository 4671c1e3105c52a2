using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// What every use case that rates shares: the contract period a customer is in at an instant (rule files and explicit
/// assignments), the customer's activity read from the store, and a period rated from it, netted by its threshold
/// invoices.
/// </summary>
internal sealed class CustomerRating
{
    private readonly IBillingStore _store;
    private readonly IRuleSetSource _rules;
    private readonly IContractAssignmentSource _assignments;

    public CustomerRating(IBillingStore store, IRuleSetSource rules, IContractAssignmentSource? assignments)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rules);
        _store = store;
        _rules = rules;
        _assignments = assignments ?? NoContractAssignments.Instance;
    }

    /// <summary>The tenant's rule set in force now; a use case asks once per call and rates the whole call with it.</summary>
    public CompiledRuleSet RulesOf(string tenant) => _rules.RulesOf(tenant);

    /// <summary>
    /// Rates one contract period of a customer from what is stored for the customer (its outcome state when current),
    /// netted by the period's threshold invoices (§10.9).
    /// </summary>
    public RatedPeriod Rate(string tenant, string customer, CompiledRuleSet rules, ContractPeriod period) =>
        Netted(tenant, customer, period, PeriodRater.Rate(tenant, Activity(tenant, customer, rules), period, Issued(tenant, customer)));

    /// <summary>The customer's finalized documents, read when a carried coupon asks (§9.14.1), so other periods cost what they did.</summary>
    public Func<IReadOnlyList<Invoice>> Issued(string tenant, string customer) => IssuedInvoices.Of(_store, tenant, customer);

    /// <summary>Invoices are read only for a contract with thresholds, so other periods cost what they did.</summary>
    public RatedPeriod Netted(string tenant, string customer, ContractPeriod period, RatedPeriod rated) =>
        ThresholdBilling.Schedule(period) is null
            ? rated
            : ThresholdBilling.Net(rated, ThresholdBilling.Of(_store.ListInvoices(tenant, customer), period));

    public CustomerActivity Activity(string tenant, string customer, CompiledRuleSet rules) =>
        CustomerActivity.Load(_store, tenant, customer, rules);

    public ContractPeriod PeriodAt(string tenant, CompiledRuleSet rules, string customer, DateTimeOffset at) =>
        PeriodIfAny(tenant, rules, customer, at)
        ?? throw new BillingException($"no contract governs customer '{customer}' at {UtcTimestamp.Format(at)}");

    /// <summary>The contract period at <paramref name="at"/>, or null when no contract governs the customer then.</summary>
    public ContractPeriod? PeriodIfAny(string tenant, CompiledRuleSet rules, string customer, DateTimeOffset at) =>
        ContractResolver.PeriodAt(rules.Contracts, customer, at, _assignments.AssignmentsOf(tenant, customer));
}
