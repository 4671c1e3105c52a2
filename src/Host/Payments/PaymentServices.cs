using Microsoft.Extensions.DependencyInjection.Extensions;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Payments;

/// <summary>
/// The payments module of <c>serve</c>: its store in the server's LiteDB file (unless the storage registered a shared
/// one, with a worker that claims each record, before), the outbox the billing engine writes
/// in its finalize/void transactions (combined with the notifications by the host's <see cref="IFinalizationListener"/>), the worker and webhook services, and their background loops.
/// </summary>
internal static class PaymentServices
{
    public static IServiceCollection AddPayments(this IServiceCollection services, PaymentHostOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton<IPaymentStore>(sp => sp.GetRequiredService<LiteDbBillingStore>().Payments());
        services.AddSingleton(sp => new PaymentOutbox(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => new ProviderHttp(options.RequestTimeout));
        services.TryAddSingleton(sp => new SyncWorker(sp.GetRequiredService<IBillingStore>(), sp.GetRequiredService<IPaymentStore>(),
            sp.GetRequiredService<ProviderHttp>().Client, sp.GetRequiredService<TimeProvider>(), options.Retries, dunning: options.Dunning));
        services.AddSingleton(sp => new WebhookInbox(sp.GetRequiredService<IPaymentStore>(), sp.GetRequiredService<TimeProvider>()));
        // The server's notifications hear of each applied payment state (invoice.paid, invoice.payment_failed) when registered.
        services.AddSingleton(sp => new WebhookApplier(sp.GetRequiredService<IPaymentStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IPaymentStateListener>(), sp.GetRequiredService<IBillingStore>()));
        services.AddSingleton<PaymentWakeUp>();
        services.AddHostedService<OutboxSyncService>();
        services.AddHostedService<WebhookApplyService>();
        services.AddHostedService<DunningService>();
        return services;
    }
}
