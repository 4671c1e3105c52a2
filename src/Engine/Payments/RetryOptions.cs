namespace RulesBilling.Engine.Payments;

/// <summary>
/// Retries of one provider step: <see cref="MaxRetries"/> retries with jittered exponential backoff from
/// <see cref="BaseDelay"/>, capped at <see cref="MaxDelay"/>; then the record is dead-lettered.
/// </summary>
public sealed record RetryOptions(int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public static RetryOptions Default { get; } = new(5, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
}
