namespace RulesBilling.Engine;

/// <summary>A half-open UTC interval [From, To).</summary>
public sealed record BillingPeriodRange(DateTimeOffset From, DateTimeOffset To)
{
    public bool Contains(DateTimeOffset t) => t >= From && t < To;
    public TimeSpan Length => To - From;
}
