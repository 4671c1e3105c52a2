using System.Globalization;

namespace RulesBilling.Host.Api.Storage;

/// <summary>
/// This process among the nodes sharing a store: the owner named on the claims it takes. Unique per start (host,
/// process id and a random part), so a restarted node never mistakes a claim of its previous life for its own.
/// </summary>
internal sealed record NodeIdentity(string Id)
{
    public static NodeIdentity New() => new(string.Create(CultureInfo.InvariantCulture,
        $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}"));
}
