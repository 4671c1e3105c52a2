using Mediator;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Customers;

internal sealed record ListCustomers(Caller Caller) : IQuery<IReadOnlyList<CustomerView>>, IApiMessage;

internal sealed class ListCustomersHandler(ITenantStore store) : IQueryHandler<ListCustomers, IReadOnlyList<CustomerView>>
{
    public ValueTask<IReadOnlyList<CustomerView>> Handle(ListCustomers query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<CustomerView>>(store.ListCustomers(query.Caller.Tenant).Select(c => CustomerView.From(c, store)).ToList());
}
