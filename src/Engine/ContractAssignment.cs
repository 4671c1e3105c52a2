namespace RulesBilling.Engine;

/// <summary>
/// An explicit binding of a customer to a contract made outside the rule files (for example through the API), in
/// force from UTC midnight of <see cref="EffectiveFrom"/> until the customer's next assignment. It wins over the
/// rule files' customer lists wherever the assigned contract — or only version <see cref="Version"/> when pinned —
/// is in force; outside that, the rule files decide as usual. Assignments are effective-dated rather than edited so
/// that re-rating a past period (corrections) sees the binding that was in force then.
/// </summary>
public sealed record ContractAssignment(string Customer, string Contract, int? Version, DateOnly EffectiveFrom);
