using System.Collections.Concurrent;

namespace RulesBilling.Client;

/// <summary>
/// Buffers events and sends them in batches from a background task: when <c>maxBatch</c> are waiting, every flush
/// interval, and on <see cref="FlushAsync"/> / <see cref="DisposeAsync"/>. Each event's id is fixed when it is added,
/// so a batch that is retried, or re-sent after a failure, is deduplicated by the server.
/// </summary>
public sealed class EventBatcher : IAsyncDisposable
{
    private readonly RulesBillingClient _client;
    private readonly int _maxBatch;
    private readonly Action<Exception>? _onError;
    private readonly ConcurrentQueue<CloudEvent> _queue = new();
    private readonly SemaphoreSlim _full = new(0);
    private int _queued;
    private bool _disposed;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly List<CloudEvent> _unsent = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly PeriodicTimer _timer;
    private int _accepted, _duplicates, _rejected;

    internal EventBatcher(RulesBillingClient client, int maxBatch, TimeSpan flushInterval, Action<Exception>? onError)
    {
        _client = client;
        _maxBatch = Math.Clamp(maxBatch, 1, RulesBillingClient.MaxBatch);
        _onError = onError;
        _timer = new PeriodicTimer(flushInterval);
        _loop = Task.Run(RunAsync);
    }

    public (int Accepted, int Duplicates, int Rejected) Totals => (_accepted, _duplicates, _rejected);

    /// <summary>Queues an event and returns it with its id.</summary>
    public CloudEvent Add(EventInput input)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var cloudEvent = RulesBillingClient.ToCloudEvent(input);
        _queue.Enqueue(cloudEvent);
        // Wakes the background loop once per full batch.
        if (Interlocked.Increment(ref _queued) % _maxBatch == 0) _full.Release();
        return cloudEvent;
    }

    /// <summary>Sends everything queued so far.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            while (_queue.TryDequeue(out var e)) _unsent.Add(e);
            while (_unsent.Count > 0)
            {
                var batch = _unsent.Take(_maxBatch).ToList();
                var answer = await _client.SendCloudEventsAsync(batch, cancellationToken);
                // Only a batch the server answered leaves the buffer; a failed one is sent again, with the same ids.
                _unsent.RemoveRange(0, batch.Count);
                Interlocked.Add(ref _accepted, answer.Accepted);
                Interlocked.Add(ref _duplicates, answer.Duplicates);
                Interlocked.Add(ref _rejected, answer.Rejected);
            }
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task RunAsync()
    {
        var tick = _timer.WaitForNextTickAsync(_stop.Token).AsTask();
        var full = _full.WaitAsync(_stop.Token);
        while (true)
        {
            try
            {
                await Task.WhenAny(tick, full);
                if (_stop.IsCancellationRequested) return;
                if (tick.IsCompleted) tick = _timer.WaitForNextTickAsync(_stop.Token).AsTask();
                if (full.IsCompleted) full = _full.WaitAsync(_stop.Token);
                // A send in flight is not cancelled by DisposeAsync: cancelling it after the server stored the batch
                // would leave the batch unsent here, and the final flush would send it again, reported as duplicates.
                await FlushAsync(CancellationToken.None);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _onError?.Invoke(e);
            }
        }
    }

    /// <summary>Stops the background flush and sends what is left.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // The loop was stopped while waiting.
        }
        await FlushAsync();
        _timer.Dispose();
        _stop.Dispose();
        _sending.Dispose();
        _full.Dispose();
    }
}
