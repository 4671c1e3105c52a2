namespace RulesBilling.Engine.Billing;

public static class Tenant
{
    /// <summary>The tenant the CLI and a single-tenant server use.</summary>
    public const string Default = "default";
}
