using RulesBilling.Dsl.Model;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>Hand-built contract versions for period and resolution tests.</summary>
internal static class Contracts
{
    public static ContractVersion Version(
        string contract, int version, string effective, string? until = null, string[]? customers = null,
        BillingPeriod? period = null, string pricing = "standard", string currency = "USD") => new(
        contract, version, DateOnly.Parse(effective), until is null ? null : DateOnly.Parse(until),
        IsDefault: customers is null, customers ?? [], pricing, currency, period ?? new MonthlyPeriod(1),
        $"hash-{contract}-{version}", $"{contract}.rules");
}
