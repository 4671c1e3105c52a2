namespace RulesBilling.Engine.Tests.Architecture;

/// <summary>
/// Namespace edges that still lie on a cycle, by last segment ("Billing -> Storage": something in Billing uses
/// something in Storage). Issue 14 shrinks these lists to empty; nothing may be added.
/// </summary>
internal static class KnownCycles
{
    /// <summary>
    /// Storage -> Rating is the stores' use of TierPart, which moved from Invoicing to Rating with the charge results
    /// it belongs to: the same dependency under a new name, gone when the adapters leave the core.
    /// </summary>
    public static readonly IReadOnlyList<string> Engine =
    [
        "Activity -> Billing",
        "Activity -> Costs",
        "Activity -> Entitlements",
        "Activity -> Ingestion",
        "Activity -> Invoicing",
        "Activity -> Outcomes",
        "Activity -> Rating",
        "Activity -> Storage",
        "Billing -> Activity",
        "Billing -> Costs",
        "Billing -> Credits",
        "Billing -> Ingestion",
        "Billing -> Invoicing",
        "Billing -> Outcomes",
        "Billing -> Rating",
        "Billing -> Storage",
        "Costs -> Outcomes",
        "Credits -> Invoicing",
        "Credits -> Rating",
        "Entitlements -> Activity",
        "Entitlements -> Billing",
        "Entitlements -> Credits",
        "Entitlements -> Invoicing",
        "Entitlements -> Notifications",
        "Entitlements -> Outcomes",
        "Entitlements -> Storage",
        "Ingestion -> Outcomes",
        "Ingestion -> Storage",
        "Invoicing -> Outcomes",
        "Invoicing -> Rating",
        "Notifications -> Billing",
        "Notifications -> Invoicing",
        "Notifications -> Payments",
        "Notifications -> Rating",
        "Notifications -> Storage",
        "Outcomes -> Storage",
        "Payments -> Billing",
        "Payments -> Invoicing",
        "Payments -> Storage",
        "Rating -> Outcomes",
        "Storage -> Credits",
        "Storage -> Invoicing",
        "Storage -> Notifications",
        "Storage -> Outcomes",
        "Storage -> Rating",
        "Storage -> Payments",
    ];

    public static readonly IReadOnlyList<string> Dsl =
    [
        "Binding -> Scripting",
        "Compilation -> Binding",
        "Compilation -> Scripting",
        "Scripting -> Binding",
        "Scripting -> Compilation",
    ];

    /// <summary>The engine's cycle edges at commit 7fff0cf, before issue 14 began to untie them.</summary>
    public static readonly IReadOnlyList<string> EngineAt7fff0cf =
    [
        "Activity -> Billing",
        "Activity -> Costs",
        "Activity -> Entitlements",
        "Activity -> Ingestion",
        "Activity -> Invoicing",
        "Activity -> Outcomes",
        "Activity -> Rating",
        "Activity -> Storage",
        "Billing -> Activity",
        "Billing -> Costs",
        "Billing -> Credits",
        "Billing -> Ingestion",
        "Billing -> Invoicing",
        "Billing -> Outcomes",
        "Billing -> Rating",
        "Billing -> Storage",
        "Costs -> Billing",
        "Costs -> Outcomes",
        "Credits -> Invoicing",
        "Credits -> Rating",
        "Entitlements -> Activity",
        "Entitlements -> Billing",
        "Entitlements -> Credits",
        "Entitlements -> Invoicing",
        "Entitlements -> Notifications",
        "Entitlements -> Outcomes",
        "Entitlements -> Storage",
        "Ingestion -> Outcomes",
        "Ingestion -> Storage",
        "Invoicing -> Billing",
        "Invoicing -> Outcomes",
        "Invoicing -> Rating",
        "Notifications -> Billing",
        "Notifications -> Invoicing",
        "Notifications -> Payments",
        "Notifications -> Rating",
        "Notifications -> Storage",
        "Outcomes -> Billing",
        "Outcomes -> Invoicing",
        "Outcomes -> Storage",
        "Payments -> Billing",
        "Payments -> Invoicing",
        "Payments -> Notifications",
        "Payments -> Storage",
        "Rating -> Invoicing",
        "Rating -> Outcomes",
        "Storage -> Billing",
        "Storage -> Credits",
        "Storage -> Invoicing",
        "Storage -> Notifications",
        "Storage -> Outcomes",
        "Storage -> Payments",
    ];

    /// <summary>The pairs of engine namespaces that used each other directly at commit 7fff0cf.</summary>
    public static readonly IReadOnlyList<string> EnginePairsAt7fff0cf =
    [
        "Activity<->Billing",
        "Activity<->Entitlements",
        "Billing<->Costs",
        "Billing<->Invoicing",
        "Billing<->Outcomes",
        "Billing<->Storage",
        "Invoicing<->Outcomes",
        "Invoicing<->Rating",
        "Notifications<->Payments",
        "Notifications<->Storage",
        "Outcomes<->Storage",
        "Payments<->Storage",
    ];

    public static (string From, string To) Split(string edge)
    {
        var parts = edge.Split(" -> ");
        return (parts[0], parts[1]);
    }
}
