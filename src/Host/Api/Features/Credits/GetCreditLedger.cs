using Mediator;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Credits;

/// <summary>A customer's grants, ledger movements and current balance per currency.</summary>
internal sealed record GetCreditLedger(Caller Caller, string Customer) : IQuery<CreditLedgerView>, IApiMessage;

internal sealed record CreditLedgerView(
    string Customer,
    IReadOnlyList<CreditBalance> Balances,
    IReadOnlyList<CreditGrantView> Grants,
    IReadOnlyList<CreditLedgerEntryView> Entries);

internal sealed record CreditBalance(string Currency, decimal Amount);

internal sealed record CreditLedgerEntryView(
    string Id, string GrantId, string Kind, string Currency, decimal Amount, decimal BalanceAfter, string? InvoiceId, DateTimeOffset At)
{
    public static CreditLedgerEntryView From(CreditLedgerEntry e) =>
        new(e.Id, e.GrantId, e.Kind, e.Currency, ApiMoney.Scale(e.Amount, e.Currency), ApiMoney.Scale(e.BalanceAfter, e.Currency), e.InvoiceId, e.At);
}

internal sealed class GetCreditLedgerHandler(ITenantStore tenants, IBillingStore billing) : IQueryHandler<GetCreditLedger, CreditLedgerView>
{
    public ValueTask<CreditLedgerView> Handle(GetCreditLedger query, CancellationToken cancellationToken)
    {
        var tenant = query.Caller.Tenant;
        // The customers billing knows: registered, or the subject of events (as preview and finalize accept).
        Customers.Customers.RequireKnown(tenants, billing, tenant, query.Customer);
        var ledger = billing.ReadLedger(tenant, query.Customer);
        var balances = ledger.GroupBy(e => e.Currency)
            .Select(g => new CreditBalance(g.Key, ApiMoney.Scale(g.Sum(e => e.Amount), g.Key)))
            .OrderBy(b => b.Currency, StringComparer.Ordinal)
            .ToList();
        var grants = billing.ListGrants(tenant, query.Customer)
            .OrderBy(g => g.GrantedAt).ThenBy(g => g.Id, StringComparer.Ordinal)
            .Select(CreditGrantView.From).ToList();
        var entries = ledger.OrderBy(e => e.At).ThenBy(e => e.Id, StringComparer.Ordinal).Select(CreditLedgerEntryView.From).ToList();
        return ValueTask.FromResult(new CreditLedgerView(query.Customer, balances, grants, entries));
    }
}
