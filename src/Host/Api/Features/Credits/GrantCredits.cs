using Mediator;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Features.Invoices;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Credits;

/// <summary>
/// Grants prepaid credit to a customer billing knows (registered, or the subject of events: the customers preview and
/// finalize accept); the grant and its ledger entry are written in one transaction.
/// </summary>
internal sealed record GrantCredits(
    Caller Caller,
    string Customer,
    decimal Amount,
    string Currency,
    int Priority,
    DateTimeOffset? ExpiresAt,
    string? Description) : ICommand<CreditGrantView>, IValidatable, IAudited
{
    public string AuditAction => $"credits.grant {Customer} {Amount} {Currency}";

    public IEnumerable<string> Validate()
    {
        if (Amount <= 0) yield return "'amount' must be greater than zero.";
        if (Currency.Length != 3 || !Currency.All(char.IsAsciiLetterUpper)) yield return $"'currency' must be an ISO 4217 code such as USD (got '{Currency}').";
        if (Priority is < CreditGrant.HighestPriority or > CreditGrant.LowestPriority)
        {
            yield return $"'priority' must be from {CreditGrant.HighestPriority} (consumed first) to {CreditGrant.LowestPriority} (consumed last, the default); got {Priority}.";
        }
    }
}

internal sealed record CreditGrantView(
    string Id, string Customer, decimal Amount, string Currency, int Priority,
    DateTimeOffset GrantedAt, DateTimeOffset? ExpiresAt, string? Description)
{
    public static CreditGrantView From(CreditGrant g) =>
        new(g.Id, g.Customer, ApiMoney.Scale(g.Amount, g.Currency), g.Currency, g.Priority, g.GrantedAt, g.ExpiresAt, g.Description);
}

internal sealed class GrantCreditsHandler(ITenantStore tenants, IBillingStore billing, CreditGrants credits) : ICommandHandler<GrantCredits, CreditGrantView>
{
    public ValueTask<CreditGrantView> Handle(GrantCredits command, CancellationToken cancellationToken)
    {
        var tenant = command.Caller.Tenant;
        Customers.Customers.RequireKnown(tenants, billing, tenant, command.Customer);
        var grant = credits.GrantCredits(tenant, command.Customer, command.Amount, command.Currency,
            command.Priority, command.ExpiresAt, command.Description);
        return ValueTask.FromResult(CreditGrantView.From(grant));
    }
}
