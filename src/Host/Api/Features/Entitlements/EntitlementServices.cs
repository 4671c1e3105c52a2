using Microsoft.Extensions.DependencyInjection.Extensions;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Features.RuleSets;

namespace RulesBilling.Host.Api.Features.Entitlements;

/// <summary>
/// Registers the entitlement view, the webhook outbox (its own LiteDB file next to the store, unless the storage
/// registered a shared one) and the delivery worker.
/// </summary>
internal static class EntitlementServices
{
    public static IServiceCollection AddEntitlements(this IServiceCollection services, string databasePath, TimeProvider clock)
    {
        services.TryAddSingleton<INotificationStore>(_ => new LiteDbNotificationStore(OutboxPath(databasePath)));
        services.AddSingleton(sp => new NotificationOutbox(sp.GetRequiredService<INotificationStore>(), clock));
        services.AddSingleton(sp =>
        {
            var catalog = sp.GetRequiredService<RuleSetCatalog>();
            CompiledRuleSet? Rules(string tenant) => catalog.Find(tenant) is null ? null : catalog.Require(tenant).RuleSet;
            return new EntitlementView(sp.GetRequiredService<IBillingStore>(), Rules, clock, sp.GetRequiredService<NotificationOutbox>());
        });
        services.AddHttpClient(WebhookWorker.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHostedService(sp => new WebhookWorker(
            sp.GetRequiredService<EntitlementView>(),
            new WebhookDispatcher(sp.GetRequiredService<INotificationStore>(),
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookWorker.HttpClientName), clock, WebhookRetryPolicy.Default),
            sp.GetRequiredService<ILogger<WebhookWorker>>()));
        return services;
    }

    /// <summary><c>data/billing.db</c> → <c>data/billing.notifications.db</c>.</summary>
    public static string OutboxPath(string databasePath) => Path.ChangeExtension(Path.GetFullPath(databasePath), ".notifications.db");
}
