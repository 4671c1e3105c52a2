using Mediator;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Customers;

internal sealed record GetCustomer(Caller Caller, string Id) : IQuery<CustomerView>, IApiMessage;

internal sealed class GetCustomerHandler(ITenantStore store) : IQueryHandler<GetCustomer, CustomerView>
{
    public ValueTask<CustomerView> Handle(GetCustomer query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(CustomerView.From(Customers.Require(store, query.Caller.Tenant, query.Id), store));
}

internal static class Customers
{
    /// <summary>The tenant's customer, or 404 — the same answer whether the id is unknown or belongs to another tenant.</summary>
    public static CustomerRecord Require(ITenantStore store, string tenant, string id) =>
        store.FindCustomer(tenant, id) ?? throw ApiProblemException.NotFound($"Customer '{id}' does not exist.");

    /// <summary>Registered through the API, or seen as the subject of the tenant's events; otherwise 404.</summary>
    public static void RequireKnown(ITenantStore tenants, IBillingStore billing, string tenant, string id)
    {
        if (tenants.FindCustomer(tenant, id) is null && !KnownCustomers.HasEvents(billing, tenant, id))
        {
            throw ApiProblemException.NotFound($"Customer '{id}' does not exist (neither registered nor the subject of any event).");
        }
    }
}
