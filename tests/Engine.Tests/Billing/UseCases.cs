using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;

using RulesBilling.Engine.Billing;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>
/// A façade over the use-case services (<see cref="InvoicePreview"/>, <see cref="InvoiceLifecycle"/>,
/// <see cref="ThresholdInvoicing"/>, <see cref="InvoiceCorrections"/>, <see cref="CreditGrants"/>) and the dry run
/// (<see cref="DryRunSession.Run(CompiledRuleSet, TextReader, TimeProvider, DateTimeOffset?, DateTimeOffset?, string?, IProgress{SimulationProgress}?)"/>),
/// built over one store, one rule source and one clock, so a test drives every use case of a customer through one
/// object as the Host's composition does through its registrations. It holds no logic: each method forwards.
/// </summary>
internal sealed class UseCases
{
    private readonly InvoicePreview _preview;
    private readonly InvoiceLifecycle _lifecycle;
    private readonly ThresholdInvoicing _thresholds;
    private readonly InvoiceCorrections _corrections;
    private readonly CreditGrants _credits;

    /// <param name="rules">Gives the tenant's rule set in force now (it may be reloaded between calls).</param>
    /// <param name="listener">Told of each finalization, void and hold inside its transaction.</param>
    /// <param name="assignments">The explicit contract assignments; none when omitted.</param>
    public UseCases(
        IBillingStore store, IRuleSetSource rules, TimeProvider time, IFinalizationListener? listener = null,
        IContractAssignmentSource? assignments = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _preview = new InvoicePreview(store, rules, time, assignments);
        _lifecycle = new InvoiceLifecycle(store, rules, time, listener, assignments);
        _thresholds = new ThresholdInvoicing(store, rules, time, listener, assignments);
        _corrections = new InvoiceCorrections(store, rules, time, listener, assignments);
        _credits = new CreditGrants(store, time);
    }

    /// <inheritdoc cref="InvoicePreview.Preview"/>
    public PreviewResult Preview(string tenant, string customer, DateTimeOffset? at = null) => _preview.Preview(tenant, customer, at);

    /// <inheritdoc cref="InvoiceLifecycle.Finalize"/>
    public Invoice Finalize(string tenant, string customer, DateTimeOffset periodFrom) => _lifecycle.Finalize(tenant, customer, periodFrom);

    /// <inheritdoc cref="ThresholdInvoicing.IssueThresholdInvoices"/>
    public IReadOnlyList<Invoice> IssueThresholdInvoices(string tenant, string customer, DateTimeOffset? at = null) =>
        _thresholds.IssueThresholdInvoices(tenant, customer, at);

    /// <inheritdoc cref="ThresholdInvoicing.CheckThresholds"/>
    public ThresholdCheck CheckThresholds(string tenant, string customer) => _thresholds.CheckThresholds(tenant, customer);

    /// <inheritdoc cref="InvoiceLifecycle.Release"/>
    public Invoice Release(string tenant, string invoiceId) => _lifecycle.Release(tenant, invoiceId);

    /// <inheritdoc cref="InvoiceLifecycle.Void"/>
    public Invoice Void(string tenant, string invoiceId, string? reason = null) => _lifecycle.Void(tenant, invoiceId, reason);

    /// <inheritdoc cref="CreditGrants.GrantCredits"/>
    public CreditGrant GrantCredits(
        string tenant, string customer, decimal amount, string currency, int priority = CreditGrant.LowestPriority,
        DateTimeOffset? expiresAt = null, string? description = null, string? grantId = null) =>
        _credits.GrantCredits(tenant, customer, amount, currency, priority, expiresAt, description, grantId);

    /// <inheritdoc cref="InvoiceCorrections.Corrections"/>
    public IReadOnlyList<Invoice> Corrections(string tenant, string customer) => _corrections.Corrections(tenant, customer);

    /// <inheritdoc cref="DryRunSession.Run(CompiledRuleSet, TextReader, TimeProvider, DateTimeOffset?, DateTimeOffset?, string?, IProgress{SimulationProgress}?)"/>
    public static SimulationResult Simulate(
        CompiledRuleSet rules, TextReader events, TimeProvider time,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? customer = null, IProgress<SimulationProgress>? progress = null) =>
        DryRunSession.Run(rules, events, time, from, to, customer, progress);

    /// <inheritdoc cref="DryRunSession.Run(CompiledRuleSet, TextReader, TimeProvider, IBillingStore, DateTimeOffset?, DateTimeOffset?, string?, IProgress{SimulationProgress}?)"/>
    public static SimulationResult Simulate(
        CompiledRuleSet rules, TextReader events, TimeProvider time, IBillingStore store,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? customer = null, IProgress<SimulationProgress>? progress = null) =>
        DryRunSession.Run(rules, events, time, store, from, to, customer, progress);
}
