using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Ingestion;

/// <summary>
/// Told about newly accepted events after their transaction committed (duplicates are not passed on), so derived
/// in-memory views can follow ingestion without rescanning the store.
/// </summary>
public interface IIngestionListener
{
    void EventsAccepted(string tenant, IReadOnlyList<StoredEvent> events);
}
