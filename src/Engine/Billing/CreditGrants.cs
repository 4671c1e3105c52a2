using System.Globalization;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;
using RulesBilling.Engine.Storage;

using static RulesBilling.Engine.Billing.BillingDocuments;

namespace RulesBilling.Engine.Billing;

/// <summary>The use case of prepaid credit: granting it, with its opening ledger entry, in one transaction.</summary>
public sealed class CreditGrants
{
    private readonly IBillingStore _store;
    private readonly TimeProvider _time;

    public CreditGrants(IBillingStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
    }

    /// <summary>
    /// Grants prepaid credit. With an explicit <paramref name="grantId"/> the call is idempotent: granting the same
    /// id again returns the existing grant, and a different grant under that id is refused.
    /// </summary>
    public CreditGrant GrantCredits(
        string tenant, string customer, decimal amount, string currency, int priority = CreditGrant.LowestPriority,
        DateTimeOffset? expiresAt = null, string? description = null, string? grantId = null)
    {
        RequireNames(tenant, customer);
        var now = _time.GetUtcNow();
        RequireCurrency(currency);
        if (amount <= 0m || !CurrencyMath.IsRounded(amount, currency))
        {
            throw new BillingException($"a credit grant must be a positive amount in whole {currency} minor units, got {amount.ToString(CultureInfo.InvariantCulture)}");
        }
        if (priority is < CreditGrant.HighestPriority or > CreditGrant.LowestPriority)
        {
            throw new BillingException($"a credit grant's priority must be from {CreditGrant.HighestPriority} to {CreditGrant.LowestPriority}, got {priority}");
        }
        if (expiresAt is { } expiry && expiry <= now)
        {
            throw new BillingException($"a credit grant cannot expire in the past ({UtcTimestamp.Format(expiry)})");
        }

        return _store.InTransaction(tx =>
        {
            var grants = tx.ListGrants(tenant, customer);
            var id = grantId ?? DeterministicId.For("grant", tenant, customer, UtcTimestamp.Format(now), grants.Count.ToString(CultureInfo.InvariantCulture));
            var grant = new CreditGrant(tenant, id, customer, currency, amount, priority, now, expiresAt?.ToUniversalTime(), description);
            if (grants.FirstOrDefault(g => g.Id == id) is { } existing)
            {
                if (existing with { GrantedAt = now } == grant) return existing;
                throw new BillingException($"credit grant '{id}' already exists for customer '{customer}' with other terms");
            }
            tx.SaveGrant(grant);
            tx.AppendLedger(new CreditLedgerEntry(tenant, DeterministicId.For("led", tenant, id, CreditLedgerKinds.Grant), customer, id,
                currency, amount, amount, CreditLedgerKinds.Grant, null, now));
            return grant;
        });
    }
}
