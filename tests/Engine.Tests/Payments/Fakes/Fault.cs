namespace RulesBilling.Engine.Tests.Payments.Fakes;

/// <summary>What a fake provider does to one request instead of (or after) serving it.</summary>
public enum Fault
{
    None,
    /// <summary>429 before anything runs (rate limiter).</summary>
    RateLimited,
    /// <summary>409 before anything runs (lock conflict).</summary>
    Conflict,
    /// <summary>500 before anything runs (load balancer).</summary>
    ServerErrorBefore,
    /// <summary>The request commits, then 500 (Stripe stores and replays it under the idempotency key).</summary>
    ServerErrorAfterCommit,
    /// <summary>Connection dropped before anything runs.</summary>
    DropBefore,
    /// <summary>The request commits, then the connection is dropped.</summary>
    DropAfterCommit,
    /// <summary>The request commits, then the answer comes after the client gave up.</summary>
    TimeoutAfterCommit,
}
