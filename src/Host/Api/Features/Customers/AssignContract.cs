using Mediator;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Features.RuleSets;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Customers;

/// <summary>
/// Binds a customer to a contract of the rule set in force (all its versions, or one pinned version) from
/// <see cref="EffectiveFrom"/> (default: today, UTC). The engine honours it ahead of the rule files' customer lists.
/// It is refused for an unknown contract or version (with the ones that exist) and when it would reach back into a
/// finalized period, because a billed period is only ever changed by a correction, never by re-binding it.
/// </summary>
internal sealed record AssignContract(Caller Caller, string Customer, string Contract, int? Version, DateOnly? EffectiveFrom)
    : ICommand<CustomerView>, IAudited
{
    public string AuditAction =>
        $"customer.contract {Customer} {Contract}{(Version is { } v ? " v" + v : "")}{(EffectiveFrom is { } d ? " from " + d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "")}";
}

internal sealed class AssignContractHandler(ITenantStore store, IBillingStore billing, RuleSetCatalog catalog, TimeProvider clock)
    : ICommandHandler<AssignContract, CustomerView>
{
    public ValueTask<CustomerView> Handle(AssignContract command, CancellationToken cancellationToken)
    {
        var tenant = command.Caller.Tenant;
        var customer = Customers.Require(store, tenant, command.Customer);
        var rules = catalog.Require(tenant).RuleSet;
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

        var effective = command.EffectiveFrom ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var billedUntil = billing.ListInvoices(tenant, command.Customer)
            .Where(i => i.Kind == InvoiceKind.Invoice && i.Status == InvoiceStatus.Finalized)
            .Select(i => (DateTimeOffset?)i.PeriodTo)
            .Max();
        if (billedUntil is { } until && UtcDate.Midnight(effective) < until)
        {
            throw ApiProblemException.Conflict(
                $"Customer '{command.Customer}' is invoiced until {UtcTimestamp.Format(until)}; an assignment must take effect on or after that (got {effective:yyyy-MM-dd}).");
        }

        store.SetContractAssignment(tenant, new ContractAssignment(command.Customer, command.Contract, command.Version, effective));
        return ValueTask.FromResult(CustomerView.From(customer, store));
    }
}
