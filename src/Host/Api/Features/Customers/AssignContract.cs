using Mediator;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Features.RuleSets;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Customers;

/// <summary>
/// Binds a customer to a contract of the rule set in force (all its versions, or one pinned version), overriding
/// the rule files' customer lists. An unknown contract or version is refused with the ones that exist.
/// </summary>
internal sealed record AssignContract(Caller Caller, string Customer, string Contract, int? Version) : ICommand<CustomerView>, IAudited
{
    public string AuditAction => $"customer.contract {Customer} {Contract}{(Version is { } v ? " v" + v : "")}";
}

internal sealed class AssignContractHandler(ITenantStore store, RuleSetCatalog catalog) : ICommandHandler<AssignContract, CustomerView>
{
    public ValueTask<CustomerView> Handle(AssignContract command, CancellationToken cancellationToken)
    {
        var customer = Customers.Require(store, command.Caller.Tenant, command.Customer);
        var rules = catalog.Require(command.Caller.Tenant).RuleSet;
        var versions = rules.Contracts.Where(c => c.Contract == command.Contract).Select(c => c.Version).Order().ToList();
        if (versions.Count == 0)
        {
            var known = string.Join(", ", rules.Contracts.Select(c => c.Contract).Distinct().Order(StringComparer.Ordinal));
            throw ApiProblemException.Unprocessable($"Contract '{command.Contract}' is not in the rule set in force (contracts: {known}).");
        }
        if (command.Version is { } v && !versions.Contains(v))
        {
            throw ApiProblemException.Unprocessable($"Contract '{command.Contract}' has no version {v} (versions: {string.Join(", ", versions)}).");
        }

        var updated = customer with { Contract = command.Contract, ContractVersion = command.Version };
        store.UpdateCustomer(updated);
        return ValueTask.FromResult(CustomerView.From(updated));
    }
}
