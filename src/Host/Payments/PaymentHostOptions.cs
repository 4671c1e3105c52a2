using RulesBilling.Engine.Payments;

namespace RulesBilling.Host.Payments;

/// <summary>
/// How <c>serve</c> runs the payments module: the outbox poll interval (<see cref="TimeSpan.Zero"/> turns the
/// background sync off, leaving it to <c>rulesbilling sync</c>), the retries of each provider step, and the timeout of
/// one provider request.
/// </summary>
internal sealed record PaymentHostOptions(TimeSpan SyncInterval, RetryOptions Retries, TimeSpan RequestTimeout)
{
    public static readonly TimeSpan DefaultSyncInterval = TimeSpan.FromSeconds(5);

    public static PaymentHostOptions Default { get; } = new(DefaultSyncInterval, RetryOptions.Default, TimeSpan.FromSeconds(30));

    /// <summary>
    /// How often stored webhook events are applied when no delivery wakes the applier (after a restart, say);
    /// a delivery wakes it at once.
    /// </summary>
    public TimeSpan WebhookSweepInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>When unpaid invoices are due and chased (<c>--dunning</c>; docs/payments.md "Dunning").</summary>
    public DunningSchedule Dunning { get; init; } = DunningSchedule.Default;

    /// <summary>How often the dunning pass looks for reminders that came due (by the server's TimeProvider).</summary>
    public TimeSpan DunningInterval { get; init; } = TimeSpan.FromMinutes(1);
}
