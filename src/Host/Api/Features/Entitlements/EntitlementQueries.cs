using Mediator;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Features.Customers;
using RulesBilling.Host.Api.Features.RuleSets;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Entitlements;

/// <summary>Every declared feature for the customer now (or at <see cref="At"/>), from the in-memory view.</summary>
internal sealed record GetEntitlements(Caller Caller, string Customer, DateTimeOffset? At = null) : IQuery<CustomerEntitlements>, IApiMessage;

/// <summary>One feature for the customer now (or at <see cref="At"/>); 404 when the rule set declares no such feature.</summary>
internal sealed record GetEntitlement(Caller Caller, string Customer, string Feature, DateTimeOffset? At = null) : IQuery<FeatureEntitlement>, IApiMessage;

/// <summary>May the customer use <see cref="Quantity"/> more units now? Refused past a hard limit; a soft limit reports overage.</summary>
internal sealed record CheckEntitlement(Caller Caller, string Customer, string Feature, decimal Quantity) : IQuery<UsageCheck>, IApiMessage, IValidatable
{
    public IEnumerable<string> Validate()
    {
        if (Quantity < 0m) yield return "quantity must not be negative.";
    }
}

/// <summary>Prepaid balances with what the open period and the pending outcomes would consume.</summary>
internal sealed record GetBalance(Caller Caller, string Customer) : IQuery<CustomerBalance>, IApiMessage;

internal sealed class EntitlementQueryHandlers(EntitlementView view, RuleSetCatalog catalog, ITenantStore tenants, IBillingStore billing)
    : IQueryHandler<GetEntitlements, CustomerEntitlements>,
      IQueryHandler<GetEntitlement, FeatureEntitlement>,
      IQueryHandler<CheckEntitlement, UsageCheck>,
      IQueryHandler<GetBalance, CustomerBalance>
{
    public ValueTask<CustomerEntitlements> Handle(GetEntitlements query, CancellationToken cancellationToken)
    {
        Require(query.Caller, query.Customer);
        return ValueTask.FromResult(view.Entitlements(query.Caller.Tenant, query.Customer, query.At));
    }

    public ValueTask<FeatureEntitlement> Handle(GetEntitlement query, CancellationToken cancellationToken)
    {
        Require(query.Caller, query.Customer);
        return ValueTask.FromResult(view.Entitlement(query.Caller.Tenant, query.Customer, query.Feature, query.At) ?? throw UnknownFeature(query.Feature));
    }

    public ValueTask<UsageCheck> Handle(CheckEntitlement query, CancellationToken cancellationToken)
    {
        Require(query.Caller, query.Customer);
        return ValueTask.FromResult(view.Check(query.Caller.Tenant, query.Customer, query.Feature, query.Quantity) ?? throw UnknownFeature(query.Feature));
    }

    public ValueTask<CustomerBalance> Handle(GetBalance query, CancellationToken cancellationToken)
    {
        Require(query.Caller, query.Customer);
        var balance = view.Balance(query.Caller.Tenant, query.Customer);
        return ValueTask.FromResult(balance with
        {
            Balances = balance.Balances.Select(b => b with
            {
                Granted = ApiMoney.Scale(b.Granted, b.Currency),
                Committed = ApiMoney.Scale(b.Committed, b.Currency),
                Pending = ApiMoney.Scale(b.Pending, b.Currency),
                Available = ApiMoney.Scale(b.Available, b.Currency),
                AvailableAfterPending = ApiMoney.Scale(b.AvailableAfterPending, b.Currency),
            }).ToList(),
        });
    }

    /// <summary>409 without a rule set, 404 for a customer the tenant does not know.</summary>
    private void Require(Caller caller, string customer)
    {
        catalog.Require(caller.Tenant);
        Customers.Customers.RequireKnown(tenants, billing, caller.Tenant, customer);
    }

    private static ApiProblemException UnknownFeature(string feature) =>
        ApiProblemException.NotFound($"Feature '{feature}' is not declared by the rule set in force.");
}
