using System.Threading.Channels;

namespace RulesBilling.Host.Payments;

/// <summary>
/// Lets a webhook delivery wake the applier as soon as the event is stored, so the answer stays fast and the
/// effect follows at once. Signals coalesce: many deliveries during one apply pass cause one more pass.
/// </summary>
internal sealed class PaymentWakeUp
{
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _signals.Writer.TryWrite(true);

    /// <summary>Returns when woken or when <paramref name="timeout"/> has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timer.CancelAfter(timeout);
        try
        {
            await _signals.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            // The sweep interval passed without a delivery.
        }
    }
}
