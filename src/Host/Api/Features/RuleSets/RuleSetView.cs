using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Api.Features.RuleSets;

/// <summary>A rule-set version; <see cref="Files"/> is filled only when one version is fetched.</summary>
internal sealed record RuleSetView(
    int Version,
    string Hash,
    string Origin,
    bool Active,
    DateTimeOffset? UploadedAt,
    string? Comment,
    IReadOnlyList<string> Contracts,
    IReadOnlyList<StoredRuleFile>? Files,
    IReadOnlyList<DiagnosticView> Warnings);
