namespace RulesBilling.Host.Api;

/// <summary>
/// Everything <c>rulesbilling serve</c> is configured with; tests build the server from the same record. The store is
/// the LiteDB file <see cref="DatabasePath"/> unless <see cref="Store"/> names a PostgreSQL database.
/// </summary>
internal sealed record ServeOptions(
    string DatabasePath,
    IReadOnlyList<string> RulePaths,
    string Urls,
    string? AdminKey,
    bool JsonLogs)
{
    /// <summary>Largest request body accepted (bytes); larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>The default of <c>--rate-limit</c>.</summary>
    public const int DefaultRateLimitPerMinute = 600;

    /// <summary>Requests allowed per API key (or per client address without a key) in each window (<c>--rate-limit</c> per minute).</summary>
    public int RateLimitPermits { get; init; } = DefaultRateLimitPerMinute;

    /// <summary>Wrong API keys allowed per client address in each window; then the address gets 429 (brute-force guard).</summary>
    public int FailedKeyPermits { get; init; } = 20;

    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Outbox sync interval (<c>--sync-interval</c>), retries and provider request timeout.</summary>
    public Payments.PaymentHostOptions Payments { get; init; } = Host.Payments.PaymentHostOptions.Default;

    /// <summary>The default of <c>--threshold-interval</c>.</summary>
    public static readonly TimeSpan DefaultThresholdInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Time between background threshold checks (<c>--threshold-interval</c>, docs/dsl-spec.md §10.9.3); zero: off. The
    /// command line defaults to <see cref="DefaultThresholdInterval"/>; a server built from this record alone (the
    /// in-process test servers) checks thresholds only when asked, so no pass races a test's own calls.
    /// </summary>
    public TimeSpan ThresholdInterval { get; init; }

    /// <summary>Rules given at start-up and uploaded rule sets may use C# scripts (<c>--allow-scripts</c>).</summary>
    public bool AllowScripts { get; init; }

    /// <summary>
    /// Webhook URLs may point at loopback, private, link-local and metadata addresses (<c>--allow-private-webhooks</c>);
    /// off by default so a tenant cannot make the server call into its own network (SSRF).
    /// </summary>
    public bool AllowPrivateWebhooks { get; init; }

    /// <summary>A PostgreSQL specification (<c>postgres://…</c> or an Npgsql connection string): every store of the server is then in that database, shared with other nodes.</summary>
    public string? Store { get; init; }

    /// <summary>The keys portal links are signed with (<c>--portal-key</c>); none: the portal-links endpoint answers 409.</summary>
    public Portal.PortalKeys PortalKeys { get; init; } = Portal.PortalKeys.None;
}
