namespace RulesBilling.Engine.Storage;

/// <summary>One uploaded version of a tenant's rule set: the rule files as text, numbered 1, 2, … per tenant.</summary>
public sealed record StoredRuleSet(
    string Tenant,
    int Version,
    string Hash,
    IReadOnlyList<StoredRuleFile> Files,
    DateTimeOffset UploadedAt,
    string? Comment);

/// <summary>A rule file of a stored rule set.</summary>
public sealed record StoredRuleFile(string Path, string Text);
