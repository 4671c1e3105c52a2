using Polly;
using Polly.Retry;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// Runs one provider step under the Polly retry pipeline: transient failures are retried with jittered, capped
/// exponential backoff; anything else propagates at once. The step is re-run from its start on each retry, so a
/// step that can create something must look it up first.
/// </summary>
internal sealed class StepRunner
{
    private readonly ResiliencePipeline _pipeline;

    public StepRunner(RetryOptions options, Action<Exception>? onRetry = null)
    {
        var retry = new RetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } e && FailureClassifier.Classify(e, args.Context.CancellationToken) == FailureKind.Transient),
            OnRetry = args =>
            {
                if (args.Outcome.Exception is { } e) onRetry?.Invoke(e);
                return ValueTask.CompletedTask;
            },
        };
        _pipeline = new ResiliencePipelineBuilder().AddRetry(retry).Build();
    }

    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> step, CancellationToken cancellation) =>
        _pipeline.ExecuteAsync(async ct => await step(ct).ConfigureAwait(false), cancellation).AsTask();
}
