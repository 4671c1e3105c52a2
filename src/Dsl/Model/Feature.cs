namespace RulesBilling.Dsl.Model;

/// <summary>What a feature is: on/off, a static configuration value, or metered usage with an optional limit.</summary>
public enum FeatureKind { Boolean, Integer, Decimal, String, Metered }

/// <summary>
/// A compiled <c>feature</c> declaration. A metered feature counts either the quantities of one outcome
/// (<see cref="Outcome"/>) or the number of events of one type (<see cref="EventType"/>); exactly one is set then.
/// </summary>
public sealed record FeatureRule(string Name, FeatureKind Kind, string? Outcome, string? EventType, SourceLocation Location);

/// <summary>
/// A feature granted by a contract version. Boolean features carry <see cref="Enabled"/> (a bare grant is true);
/// integer and decimal features <see cref="Number"/>; string features <see cref="Text"/>; metered features an
/// optional <see cref="Limit"/> (null = unlimited).
/// </summary>
public sealed record FeatureGrant(string Feature, bool Enabled, decimal? Number, string? Text, FeatureLimit? Limit);

/// <summary>
/// A usage limit per reset window. A hard limit refuses usage past it; a soft one allows it and reports the overage.
/// <see cref="Reset"/> null means the window is the contract's billing period.
/// </summary>
public sealed record FeatureLimit(decimal Amount, bool Hard, BillingPeriod? Reset);

/// <summary>The features one contract version grants, in declaration order.</summary>
public sealed record ContractFeatures(string Contract, int Version, IReadOnlyList<FeatureGrant> Grants);
