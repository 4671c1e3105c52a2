namespace RulesBilling.Host.Api;

/// <summary>Everything <c>rulesbilling serve</c> is configured with; tests build the server from the same record.</summary>
internal sealed record ServeOptions(
    string DatabasePath,
    IReadOnlyList<string> RulePaths,
    string Urls,
    string? AdminKey,
    bool JsonLogs)
{
    /// <summary>Largest request body accepted (bytes); larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Requests allowed per API key (or per client address without a key) in each window.</summary>
    public int RateLimitPermits { get; init; } = DefaultRateLimitPermits;

    public const int DefaultRateLimitPermits = 600;

    /// <summary>Wrong API keys allowed per client address in each window; then the address gets 429 (brute-force guard).</summary>
    public int FailedKeyPermits { get; init; } = 20;

    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromMinutes(1);
}
