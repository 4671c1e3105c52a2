namespace RulesBilling.Engine.Entitlements;

/// <summary>
/// Prepaid credit in one currency at an instant. <see cref="Granted"/> is what is left of the live grants (ledger);
/// <see cref="Committed"/> what the open period's invoice would consume for usage billable so far (and its base fee);
/// <see cref="Pending"/> what outcomes still in their validation window would consume on top if none is reversed.
/// <see cref="Available"/> = Granted − Committed; <see cref="AvailableAfterPending"/> = Available − Pending.
/// </summary>
public sealed record PrepaidBalance(string Currency, decimal Granted, decimal Committed, decimal Pending, decimal Available, decimal AvailableAfterPending);

/// <summary>A customer's prepaid balances per currency (ordinal), plus rating problems that kept the estimate at zero.</summary>
public sealed record CustomerBalance(string Customer, DateTimeOffset At, IReadOnlyList<PrepaidBalance> Balances, IReadOnlyList<string> Errors);
