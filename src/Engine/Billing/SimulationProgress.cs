namespace RulesBilling.Engine.Billing;

/// <summary>How far a simulation is: events read (after ingestion), then customers rated out of the total.</summary>
public sealed record SimulationProgress(int EventsRead, int CustomersRated, int Customers);
