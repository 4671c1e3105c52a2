namespace RulesBilling.Engine.Notifications;

/// <summary>
/// Exponential backoff without jitter (deterministic): attempt n failed → next try after
/// min(<see cref="FirstDelay"/> × 2^(n−1), <see cref="MaxDelay"/>); after <see cref="MaxAttempts"/> the delivery fails.
/// <see cref="Timeout"/> bounds one HTTP attempt.
/// </summary>
public sealed record WebhookRetryPolicy(TimeSpan FirstDelay, TimeSpan MaxDelay, int MaxAttempts, TimeSpan Timeout)
{
    public static WebhookRetryPolicy Default { get; } = new(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), 12, TimeSpan.FromSeconds(10));

    public TimeSpan DelayAfter(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var ticks = Math.Min(FirstDelay.Ticks * factor, MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
