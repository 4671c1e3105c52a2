namespace RulesBilling.Benchmarks.Workload;

/// <summary>A clock that always reads one instant, so stored times and period ends are reproducible.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
