using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Storage.Migration;

/// <summary>How many payment records an import wrote; the rest of the source's records were already in the target.</summary>
public sealed record PaymentCopied(int Accounts, int Settings, int CustomerMappings, int SyncRecords, int WebhookEvents, int States);

/// <summary>
/// Per tenant, how many payment records of each kind the source holds (<see cref="Of(PaymentSnapshot, string)"/>)
/// and how many of those the target holds identically (<see cref="Of(IPaymentStore, string, PaymentSnapshot)"/>), by
/// their stored JSON. Webhook events are compared only while unapplied: a store can look up no other.
/// </summary>
public sealed record PaymentSummary(string Tenant, int Accounts, int Settings, int CustomerMappings, int SyncRecords, int UnappliedWebhookEvents, int States)
{
    public static PaymentSummary Of(PaymentSnapshot snapshot, string tenant)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new PaymentSummary(
            tenant,
            snapshot.Accounts.Count(a => a.Tenant == tenant),
            snapshot.Settings.Count(s => s.Tenant == tenant),
            snapshot.CustomerMappings.Count(c => c.Tenant == tenant),
            snapshot.Sync.Count(s => s.Tenant == tenant),
            snapshot.WebhookEvents.Count(e => e.Tenant == tenant && !e.Applied),
            snapshot.States.Count(s => s.Tenant == tenant));
    }

    public static PaymentSummary Of(IPaymentStore store, string tenant, PaymentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(snapshot);
        var sync = store.ListSync(tenant).Select(PaymentSnapshot.Stored).ToHashSet(StringComparer.Ordinal);
        var unapplied = store.ListUnappliedWebhookEvents().Where(e => e.Tenant == tenant).Select(PaymentSnapshot.Stored).ToHashSet(StringComparer.Ordinal);
        return new PaymentSummary(
            tenant,
            snapshot.Accounts.Count(a => a.Tenant == tenant && Same(a, store.FindAccount(a.Tenant, a.Provider))),
            snapshot.Settings.Count(s => s.Tenant == tenant && Same(s, store.FindCustomerSettings(s.Tenant, s.Customer))),
            snapshot.CustomerMappings.Count(c => c.Tenant == tenant && Same(c, store.FindProviderCustomer(c.Tenant, c.Provider, c.Customer))),
            snapshot.Sync.Count(s => s.Tenant == tenant && sync.Contains(PaymentSnapshot.Stored(s))),
            snapshot.WebhookEvents.Count(e => e.Tenant == tenant && !e.Applied && unapplied.Contains(PaymentSnapshot.Stored(e))),
            snapshot.States.Count(s => s.Tenant == tenant && Same(s, store.FindPaymentState(s.Tenant, s.InvoiceId))));
    }

    private static bool Same<T>(T source, T? target) where T : class =>
        target is not null && PaymentSnapshot.Stored(source) == PaymentSnapshot.Stored(target);
}

/// <summary>
/// Copies a <see cref="PaymentSnapshot"/> into an <see cref="IPaymentStore"/>, writing only records the target lacks
/// (looked up by their key; sync records and webhook events through the stores' insert-if-absent), so a second run
/// writes nothing and a record the target already has is never overwritten.
/// </summary>
internal static class PaymentImport
{
    public static PaymentCopied Copy(PaymentSnapshot snapshot, IPaymentStore target)
    {
        int accounts = 0, settings = 0, mappings = 0, states = 0;
        foreach (var account in snapshot.Accounts)
        {
            if (target.FindAccount(account.Tenant, account.Provider) is not null) continue;
            target.SaveAccount(account);
            accounts++;
        }
        foreach (var setting in snapshot.Settings)
        {
            if (target.FindCustomerSettings(setting.Tenant, setting.Customer) is not null) continue;
            target.SaveCustomerSettings(setting);
            settings++;
        }
        foreach (var mapping in snapshot.CustomerMappings)
        {
            if (target.FindProviderCustomer(mapping.Tenant, mapping.Provider, mapping.Customer) is not null) continue;
            target.SaveProviderCustomer(mapping);
            mappings++;
        }
        var sync = snapshot.Sync.Count(target.AddSync);
        var events = snapshot.WebhookEvents.Count(target.AddWebhookEvent);
        foreach (var state in snapshot.States)
        {
            if (target.FindPaymentState(state.Tenant, state.InvoiceId) is not null) continue;
            target.SavePaymentState(state);
            states++;
        }
        return new PaymentCopied(accounts, settings, mappings, sync, events, states);
    }
}
