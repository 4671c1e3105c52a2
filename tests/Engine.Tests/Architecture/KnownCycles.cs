namespace RulesBilling.Engine.Tests.Architecture;

/// <summary>
/// Namespace edges that still lie on a cycle, by last segment ("Billing -> Storage": something in Billing uses
/// something in Storage). Issue 14 shrinks these lists to empty; nothing may be added.
/// </summary>
internal static class KnownCycles
{
    /// <summary>
    /// What is left is the use cases' knot: Activity, Billing and Entitlements read each other's contract periods,
    /// activity and entitlements (the dry run, the balance calculator). Storage left every cycle when each concept
    /// got its own store interface and the backends alone implement them (issue 14, storage seams).
    /// </summary>
    public static readonly IReadOnlyList<string> Engine =
    [
        "Activity -> Billing",
        "Activity -> Entitlements",
        "Billing -> Activity",
        "Entitlements -> Activity",
        "Entitlements -> Billing",
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
