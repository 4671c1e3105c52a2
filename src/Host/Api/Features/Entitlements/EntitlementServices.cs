using Microsoft.Extensions.DependencyInjection.Extensions;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Features.RuleSets;

namespace RulesBilling.Host.Api.Features.Entitlements;

/// <summary>
/// Registers the entitlement view, the webhook outbox (in the billing store's file unless the storage registered a
/// shared one, so invoice notifications commit
/// with the invoice), the invoice notifications (told by the billing engine next to the payments outbox, and by the
/// provider webhook applier), the endpoint guard against private addresses, and the delivery worker.
/// </summary>
internal static class EntitlementServices
{
    public static IServiceCollection AddEntitlements(this IServiceCollection services, bool allowPrivateWebhooks, TimeProvider clock)
    {
        services.TryAddSingleton<INotificationStore>(sp => new LiteDbNotificationStore(sp.GetRequiredService<LiteDbBillingStore>()));
        services.AddSingleton(sp => new NotificationOutbox(sp.GetRequiredService<INotificationStore>(), clock));
        services.AddSingleton(sp => new InvoiceNotifications(sp.GetRequiredService<NotificationOutbox>(), sp.GetRequiredService<IBillingStore>(), clock));
        services.AddSingleton<IPaymentStateListener>(sp => sp.GetRequiredService<InvoiceNotifications>());
        // Both run inside the finalize/void transaction: the payments outbox row and the notification commit with the invoice.
        services.AddSingleton<IFinalizationListener>(sp => new CompositeFinalizationListener(
            sp.GetRequiredService<PaymentOutbox>(), sp.GetRequiredService<InvoiceNotifications>()));
        services.AddSingleton(sp =>
        {
            var catalog = sp.GetRequiredService<RuleSetCatalog>();
            CompiledRuleSet? Rules(string tenant) => catalog.Find(tenant) is null ? null : catalog.Require(tenant).RuleSet;
            return new EntitlementView(sp.GetRequiredService<IBillingStore>(), Rules, clock, sp.GetRequiredService<NotificationOutbox>(),
                sp.GetRequiredService<ITenantStore>().ListContractAssignments);
        });
        services.AddSingleton(new WebhookEndpointGuard(allowPrivateWebhooks));
        services.AddHttpClient(WebhookWorker.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<WebhookEndpointGuard>().CreateHandler());
        services.AddHostedService(sp => new WebhookWorker(
            sp.GetRequiredService<EntitlementView>(),
            sp.GetRequiredService<INotificationStore>(),
            new WebhookDispatcher(sp.GetRequiredService<INotificationStore>(),
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookWorker.HttpClientName), clock, WebhookRetryPolicy.Default),
            sp.GetRequiredService<ILogger<WebhookWorker>>()));
        return services;
    }
}
