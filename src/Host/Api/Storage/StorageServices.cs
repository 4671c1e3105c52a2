using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Claims;
using RulesBilling.Engine.Storage.Postgres;
using RulesBilling.Host.Payments;

namespace RulesBilling.Host.Api.Storage;

/// <summary>
/// Registers the stores of <c>serve</c>. LiteDB (the default): the billing store, tenant store and payments in one
/// file, claims in process memory (one node). PostgreSQL (<see cref="ServeOptions.Store"/>): the billing, tenant,
/// payment and notification stores all in the one database, claims as rows in it, and the rule-set version polled
/// from it, so any number of nodes can share it. The PostgreSQL store is opened (and migrated) here, at start, so a
/// wrong address or login stops the server with a clear message instead of failing its first request.
/// </summary>
internal static class StorageServices
{
    public static void AddStorage(this IServiceCollection services, ServeOptions options)
    {
        services.AddSingleton(NodeIdentity.New());
        if (options.Store is { } spec && StoreFactory.PostgresConnectionString(spec) is { } connectionString)
        {
            var store = PostgresBillingStore.Open(connectionString);
            services.AddSingleton(_ => store);
            services.AddSingleton<IBillingStore>(sp => sp.GetRequiredService<PostgresBillingStore>());
            services.AddSingleton<IWorkClaims>(sp => sp.GetRequiredService<PostgresBillingStore>());
            services.AddSingleton(sp => new PostgresTenantStore(sp.GetRequiredService<PostgresBillingStore>()));
            services.AddSingleton<ITenantStore>(sp => sp.GetRequiredService<PostgresTenantStore>());
            services.AddSingleton(sp => new SharedRuleSetVersion(sp.GetRequiredService<PostgresTenantStore>().LatestRuleSetVersion));
            services.AddSingleton<IPaymentStore>(sp => sp.GetRequiredService<PostgresBillingStore>().Payments());
            services.AddSingleton<INotificationStore>(sp => new PostgresNotificationStore(sp.GetRequiredService<PostgresBillingStore>()));
            services.AddSingleton(sp => new SyncWorker(sp.GetRequiredService<IBillingStore>(), sp.GetRequiredService<IPaymentStore>(),
                sp.GetRequiredService<ProviderHttp>().Client, sp.GetRequiredService<TimeProvider>(), options.Payments.Retries,
                (sp.GetRequiredService<IWorkClaims>(), sp.GetRequiredService<NodeIdentity>().Id), options.Payments.Dunning));
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(options.DatabasePath));
        if (directory is not null) Directory.CreateDirectory(directory);
        services.AddSingleton(_ => new LiteDbBillingStore(options.DatabasePath));
        services.AddSingleton<IBillingStore>(sp => sp.GetRequiredService<LiteDbBillingStore>());
        services.AddSingleton(sp => sp.GetRequiredService<LiteDbBillingStore>().OpenTenantStore());
        services.AddSingleton<IWorkClaims>(sp => new InProcessWorkClaims(sp.GetRequiredService<TimeProvider>()));
    }
}

/// <summary>Present when nodes share the store: the tenant's latest uploaded rule-set version, read from the database.</summary>
internal sealed record SharedRuleSetVersion(Func<string, int> Latest);
