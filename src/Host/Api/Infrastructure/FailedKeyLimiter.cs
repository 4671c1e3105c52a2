using System.Threading.RateLimiting;

namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>
/// Limits wrong API keys per client address. The request rate limiter partitions by the presented key, so a caller
/// guessing keys gets a fresh budget with every guess; this budget counts failures per address instead. Once it is
/// spent the address is refused (429) before any key is checked, so a lucky guess cannot be told apart either.
/// </summary>
internal sealed class FailedKeyLimiter(int permits, TimeSpan window) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        }));

    public int Permits => permits;

    public TimeSpan Window => window;

    /// <summary>True while the address still has failures left in this window.</summary>
    public bool Allows(string address)
    {
        using var lease = _failures.AttemptAcquire(address, 0);
        return lease.IsAcquired;
    }

    /// <summary>Counts one wrong key against the address.</summary>
    public void Fail(string address)
    {
        using var lease = _failures.AttemptAcquire(address, 1);
    }

    public void Dispose() => _failures.Dispose();
}
