using System.Net;
using System.Net.Sockets;

namespace RulesBilling.Engine.Notifications;

/// <summary>
/// Which addresses a webhook may be sent to. A tenant chooses the URL, so without this rule it could make the
/// server call itself, its network or the cloud metadata service (SSRF). Refused: unspecified, loopback, private
/// (RFC 1918, IPv6 unique local), carrier-grade NAT, link-local (which holds the 169.254.169.254 metadata
/// service), benchmarking, multicast, reserved and broadcast addresses, also when they are embedded in an IPv6
/// address (IPv4-mapped, NAT64, 6to4).
/// </summary>
public static class WebhookAddressPolicy
{
    /// <summary>Null when <paramref name="address"/> may receive webhooks, otherwise why not.</summary>
    public static string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv4MappedToIPv6) return Refusal(address.MapToIPv4());
            var b = address.GetAddressBytes();
            if (IPAddress.IsLoopback(address)) return "loopback";
            if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)) return "unspecified";
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal) return "link-local";
            if (address.IsIPv6Multicast) return "multicast";
            if ((b[0] & 0xFE) == 0xFC) return "private (unique local)";
            // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they embed.
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.Skip(4).Take(8).All(x => x == 0))
                return Refusal(new IPAddress(b[12..16]));
            if (b[0] == 0x20 && b[1] == 0x02) return Refusal(new IPAddress(b[2..6]));
            return null;
        }

        var v4 = address.GetAddressBytes();
        return (v4[0], v4[1]) switch
        {
            (0, _) => "unspecified",
            (10, _) => "private",
            (100, >= 64 and <= 127) => "private (carrier-grade NAT)",
            (127, _) => "loopback",
            (169, 254) => "link-local (cloud metadata)",
            (172, >= 16 and <= 31) => "private",
            (192, 168) => "private",
            (192, 0) when v4[2] == 0 => "reserved (IETF protocol assignments)",
            (198, 18 or 19) => "reserved (benchmarking)",
            ( >= 224 and <= 239, _) => "multicast",
            ( >= 240, _) => "reserved",
            _ => null,
        };
    }
}
