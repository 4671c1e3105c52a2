namespace RulesBilling.Engine.Entitlements;

/// <summary>
/// A customer's access to one feature at one instant. Boolean features fill <see cref="Enabled"/>; static ones
/// <see cref="Number"/> or <see cref="Text"/>; metered ones <see cref="Usage"/> in the window
/// [<see cref="WindowStart"/>, <see cref="ResetsAt"/>) and, when limited, <see cref="Limit"/>, <see cref="Remaining"/>
/// and <see cref="Overage"/>. A hard limit that is used up means no access; a soft one keeps access and reports overage.
/// </summary>
public sealed record FeatureEntitlement(
    string Feature,
    /// <summary>bool, integer, decimal, string or metered.</summary>
    string Kind,
    bool HasAccess,
    bool? Enabled,
    decimal? Number,
    string? Text,
    decimal? Usage,
    decimal? Limit,
    /// <summary>"hard" or "soft" when limited.</summary>
    string? LimitMode,
    decimal? Remaining,
    decimal? Overage,
    DateTimeOffset? WindowStart,
    DateTimeOffset? ResetsAt);

/// <summary>All declared features for a customer at <see cref="At"/>, ordinal by name, under the contract version in force.</summary>
public sealed record CustomerEntitlements(string Customer, DateTimeOffset At, string? Contract, int? Version, IReadOnlyList<FeatureEntitlement> Features);

/// <summary>
/// The answer to "may the customer use <see cref="Requested"/> more units of the feature now?". Past a hard limit the
/// answer is no; past a soft limit it is yes with the <see cref="Overage"/> the usage would cause.
/// </summary>
public sealed record UsageCheck(
    string Feature, bool Allowed, decimal Requested, decimal? Usage, decimal? Limit, decimal? Remaining, decimal Overage, string Reason);
