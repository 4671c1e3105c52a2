using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Api.Features.Customers;

/// <summary>A customer as the API shows it.</summary>
internal sealed record CustomerView(string Id, string? Name, string? Contract, int? ContractVersion, DateTimeOffset CreatedAt)
{
    public static CustomerView From(CustomerRecord c) => new(c.Id, c.Name, c.Contract, c.ContractVersion, c.CreatedAt);
}
