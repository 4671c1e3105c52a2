namespace RulesBilling.Engine.Credits;

/// <summary>
/// Prepaid credit granted to a customer. Consumed in order: priority (lower number first), then earliest
/// expiry (no expiry sorts last), then oldest grant (GrantedAt, then Id). Priority runs from
/// <see cref="HighestPriority"/> to <see cref="LowestPriority"/>; a grant given none gets the lowest, so it is
/// consumed after every prioritized one (Lago's default of 50 on its 1–50 scale).
/// </summary>
public sealed record CreditGrant(
    string Tenant,
    string Id,
    string Customer,
    string Currency,
    decimal Amount,
    int Priority,
    DateTimeOffset GrantedAt,
    DateTimeOffset? ExpiresAt,
    string? Description)
{
    public const int HighestPriority = 0;
    public const int LowestPriority = 50;
}

/// <summary>One ledger movement: a grant (+), a consumption by an invoice (−), an expiry or a reversal.</summary>
public sealed record CreditLedgerEntry(
    string Tenant,
    string Id,
    string Customer,
    string GrantId,
    string Currency,
    decimal Amount,
    decimal BalanceAfter,
    string Kind,
    string? InvoiceId,
    DateTimeOffset At);
