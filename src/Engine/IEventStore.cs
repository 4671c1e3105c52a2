namespace RulesBilling.Engine;

/// <summary>Outcome of appending one event.</summary>
public enum AppendStatus { Accepted, Duplicate }

/// <summary>
/// The accepted events of every tenant: append-only, deduplicated on (tenant, source, id). Every write is durable
/// (committed) before the method returns, or commits with the <see cref="IStoreSession"/> transaction it belongs to.
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Appends a batch atomically; results are in input order. An append of an existing (tenant, source, id) reports
    /// <see cref="AppendStatus.Duplicate"/> and changes nothing, and so does a repeat of an earlier event in the same
    /// batch (the first copy wins). The input <see cref="StoredEvent.Sequence"/> is ignored: the store assigns
    /// strictly increasing numbers to accepted events in input order. Times are stored as UTC instants.
    /// </summary>
    IReadOnlyList<AppendStatus> AppendEvents(IReadOnlyList<StoredEvent> events);

    /// <summary>
    /// Events of a tenant in a deterministic order (event time, then source and id ordinally), optionally for one
    /// customer and only those with StoredAt strictly before <paramref name="storedBefore"/>. Fully materialized.
    /// </summary>
    IEnumerable<StoredEvent> ReadEvents(string tenant, string? customer = null, DateTimeOffset? storedBefore = null);

    /// <summary>Distinct subjects of the tenant's stored events, ordinal order.</summary>
    IReadOnlyList<string> Customers(string tenant);
}
