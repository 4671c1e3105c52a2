namespace RulesBilling.Host.Payments;

/// <summary>The one HTTP client both providers are called through, owned by the server (or a CLI verb) that created it.</summary>
internal sealed class ProviderHttp(TimeSpan requestTimeout) : IDisposable
{
    // A pooled connection is recycled so that a long-running server sees a provider's DNS changes.
    public HttpClient Client { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = requestTimeout };

    public void Dispose() => Client.Dispose();
}
