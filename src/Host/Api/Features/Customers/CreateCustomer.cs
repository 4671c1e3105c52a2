using Mediator;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Customers;

/// <summary>Registers a customer of the caller's tenant. The id is the CloudEvents <c>subject</c> of its events.</summary>
internal sealed record CreateCustomer(Caller Caller, string Id, string? Name) : ICommand<CustomerView>, IValidatable, IAudited
{
    public string AuditAction => $"customer.create {Id}";

    public IEnumerable<string> Validate() => Identifiers.Check("id", Id);
}

internal sealed class CreateCustomerHandler(ITenantStore store, TimeProvider clock) : ICommandHandler<CreateCustomer, CustomerView>
{
    public ValueTask<CustomerView> Handle(CreateCustomer command, CancellationToken cancellationToken)
    {
        var customer = new CustomerRecord(command.Caller.Tenant, command.Id, command.Name, clock.GetUtcNow());
        if (!store.AddCustomer(customer)) throw ApiProblemException.Conflict($"Customer '{command.Id}' already exists.");
        return ValueTask.FromResult(CustomerView.From(customer, store));
    }
}
