namespace RulesBilling.Engine;

/// <summary>
/// A billing request that cannot be carried out (no contract, period not over, rating errors…).
/// The message is meant for the user as is; <see cref="Errors"/> lists the rating errors when there are any.
/// </summary>
public sealed class BillingException(string message, IReadOnlyList<RatingError>? errors = null) : Exception(message)
{
    public IReadOnlyList<RatingError> Errors { get; } = errors ?? [];
}
