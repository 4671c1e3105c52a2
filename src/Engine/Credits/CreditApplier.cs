using System.Globalization;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Credits;

/// <summary>
/// Applies prepaid credit to an invoice subtotal (docs/dsl-spec.md §11 "Credits"). Consumption order: priority ascending,
/// earliest expiry (none last), oldest GrantedAt, then Id (ordinal). A grant expired at the period end
/// (ExpiresAt ≤ period end), in another currency or with no balance left is skipped. Pure: the caller persists.
/// </summary>
public static class CreditApplier
{
    /// <summary>
    /// Current balance of each grant: its Amount plus every ledger movement on it except the informational
    /// <see cref="CreditLedgerKinds.Grant"/> entry (consumptions and expiries are negative, reversals positive).
    /// </summary>
    public static IReadOnlyList<GrantBalance> Balances(IReadOnlyList<CreditGrant> grants, IReadOnlyList<CreditLedgerEntry> ledger)
    {
        var movements = ledger
            .Where(e => e.Kind != CreditLedgerKinds.Grant)
            .GroupBy(e => e.GrantId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Amount), StringComparer.Ordinal);
        return grants.Select(g => new GrantBalance(g, g.Amount + movements.GetValueOrDefault(g.Id))).ToList();
    }

    public static CreditApplicationResult Apply(
        string tenant, string customer, string invoiceId, IReadOnlyList<GrantBalance> grants,
        decimal subtotal, string currency, DateTimeOffset periodEnd, DateTimeOffset at)
    {
        if (!CurrencyMath.IsRounded(subtotal, currency))
            throw new ArgumentException($"subtotal {subtotal.ToString(CultureInfo.InvariantCulture)} is not at {currency} precision", nameof(subtotal));
        foreach (var balance in grants)
        {
            if (balance.Grant.Tenant != tenant || balance.Grant.Customer != customer)
                throw new ArgumentException($"grant '{balance.Grant.Id}' belongs to {balance.Grant.Tenant}/{balance.Grant.Customer}, not {tenant}/{customer}", nameof(grants));
        }

        var applications = new List<CreditApplication>();
        var entries = new List<CreditLedgerEntry>();
        var remaining = Math.Max(subtotal, 0m);
        foreach (var balance in ConsumptionOrder(grants, currency, periodEnd))
        {
            if (remaining == 0m) break;
            var consumed = Math.Min(Spendable(balance, currency), remaining);
            if (consumed <= 0m) continue;
            remaining -= consumed;
            var grant = balance.Grant;
            applications.Add(new CreditApplication(grant.Id, consumed));
            entries.Add(new CreditLedgerEntry(tenant, DeterministicId.For("led", tenant, invoiceId, grant.Id), customer,
                grant.Id, currency, -consumed, balance.Balance - consumed, CreditLedgerKinds.Consumption, invoiceId, at));
        }

        var credits = applications.Sum(a => a.Amount);
        return new CreditApplicationResult(applications, entries, credits, subtotal - credits);
    }

    /// <summary>Applies credits to a draft or held invoice: its period end is the expiry reference.</summary>
    public static CreditedInvoice ApplyTo(Invoice invoice, IReadOnlyList<GrantBalance> grants, DateTimeOffset at)
    {
        var result = Apply(invoice.Tenant, invoice.Customer, invoice.Id, grants, invoice.Subtotal, invoice.Currency, invoice.PeriodTo, at);
        return new CreditedInvoice(
            invoice with { Credits = result.Applications, CreditsApplied = result.CreditsApplied, Total = result.Total },
            result.LedgerEntries);
    }

    /// <summary>
    /// What an invoice can take from a balance: a balance finer than the currency cannot be spent, so only whole
    /// minor units are used (rounded toward zero, never up).
    /// </summary>
    internal static decimal Spendable(GrantBalance balance, string currency) =>
        Math.Round(balance.Balance, CurrencyMath.MinorUnits(currency), MidpointRounding.ToZero);

    /// <summary>The usable grants in the order they are consumed.</summary>
    public static IReadOnlyList<GrantBalance> ConsumptionOrder(IReadOnlyList<GrantBalance> grants, string currency, DateTimeOffset periodEnd) =>
        grants
            .Where(g => g.Grant.Currency == currency && g.Balance > 0m && !(g.Grant.ExpiresAt <= periodEnd))
            .OrderBy(g => g.Grant.Priority)
            .ThenBy(g => g.Grant.ExpiresAt.HasValue ? 0 : 1)
            .ThenBy(g => g.Grant.ExpiresAt?.UtcTicks ?? 0L)
            .ThenBy(g => g.Grant.GrantedAt.UtcTicks)
            .ThenBy(g => g.Grant.Id, StringComparer.Ordinal)
            .ToList();
}
