using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Features.Customers;
using RulesBilling.Host.Api.Features.RuleSets;

namespace RulesBilling.Host.Api.Features.Invoices;

/// <summary>
/// Registers the billing use cases — preview, an invoice's lifecycle, threshold invoices, corrections, credit grants —
/// as singletons over the process's billing store, with what the Host supplies them: the tenant's rule set in force
/// (<see cref="CatalogRuleSets"/>), the stored contract assignments (<see cref="StoredContractAssignments"/>) and the
/// finalization listener (the payments outbox and the invoice notifications, registered by the payments and
/// entitlements services). Also the period-close claims and the background threshold check.
/// </summary>
internal static class BillingServices
{
    public static IServiceCollection AddBilling(this IServiceCollection services)
    {
        services.AddSingleton<IRuleSetSource, CatalogRuleSets>();
        services.AddSingleton<IContractAssignmentSource, StoredContractAssignments>();
        services.AddSingleton(sp => new InvoicePreview(
            sp.GetRequiredService<IBillingStore>(), sp.GetRequiredService<IRuleSetSource>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IContractAssignmentSource>()));
        services.AddSingleton(sp => new InvoiceLifecycle(
            sp.GetRequiredService<IBillingStore>(), sp.GetRequiredService<IRuleSetSource>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IFinalizationListener>(), sp.GetRequiredService<IContractAssignmentSource>()));
        services.AddSingleton(sp => new ThresholdInvoicing(
            sp.GetRequiredService<IBillingStore>(), sp.GetRequiredService<IRuleSetSource>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IFinalizationListener>(), sp.GetRequiredService<IContractAssignmentSource>()));
        services.AddSingleton(sp => new InvoiceCorrections(
            sp.GetRequiredService<IBillingStore>(), sp.GetRequiredService<IRuleSetSource>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IFinalizationListener>(), sp.GetRequiredService<IContractAssignmentSource>()));
        services.AddSingleton(sp => new CreditGrants(sp.GetRequiredService<IBillingStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PeriodCloseClaims>();
        services.AddHostedService<ThresholdWorker>();
        return services;
    }
}
