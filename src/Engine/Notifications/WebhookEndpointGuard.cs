using System.Net;
using System.Net.Sockets;

namespace RulesBilling.Engine.Notifications;

/// <summary>
/// Keeps webhooks away from private addresses (<see cref="WebhookAddressPolicy"/>) unless <see cref="AllowPrivate"/>
/// (<c>serve --allow-private-webhooks</c>). The URL is checked when it is subscribed, and again on every connection:
/// <see cref="CreateHandler"/> resolves the host itself, refuses when any of its addresses is private and connects
/// to exactly the addresses it checked, so a name that resolves to a public address at subscription time and to
/// 169.254.169.254 later (DNS rebinding) is refused, and no second resolution can differ from the checked one.
/// Redirects are not followed (a 3xx is a failed attempt) and no proxy is used, so every hop is checked.
/// </summary>
public sealed class WebhookEndpointGuard(bool allowPrivate)
{
    public bool AllowPrivate { get; } = allowPrivate;

    /// <summary>Null when <paramref name="url"/> may be subscribed, otherwise why not (one readable sentence).</summary>
    public async Task<string?> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (AllowPrivate) return null;
        try
        {
            var addresses = await ResolveAsync(url.IdnHost, cancellationToken);
            return Refusal(url.IdnHost, addresses);
        }
        catch (SocketException ex)
        {
            return $"the host '{url.IdnHost}' does not resolve ({ex.SocketErrorCode}).";
        }
    }

    /// <summary>The handler for the delivery HttpClient: checked connections, no redirects, no proxy.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = await ResolveAsync(host, cancellationToken);
            if (!AllowPrivate && Refusal(host, addresses) is { } refusal) throw new HttpRequestException(refusal);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(literal, out var address) ? [address] : await Dns.GetHostAddressesAsync(host, cancellationToken);
    }

    private static string? Refusal(string host, IPAddress[] addresses)
    {
        if (addresses.Length == 0) return $"the host '{host}' does not resolve.";
        // Every address must pass: a client may connect to any of them.
        foreach (var address in addresses)
        {
            if (WebhookAddressPolicy.Refusal(address) is { } why)
                return $"the host '{host}' resolves to {address}, a {why} address; webhooks go to public addresses only (serve --allow-private-webhooks allows others).";
        }
        return null;
    }
}
