using System.Security.Cryptography;
using System.Text;

namespace RulesBilling.Engine.Storage.Postgres;

/// <summary>
/// The dedup key of an event in event_ids: SHA-256 over the length-prefixed tenant, source and id. Length prefixes
/// make the encoding unambiguous (("a", "bc") and ("ab", "c") differ), and the fixed 32 bytes fit any btree entry
/// even when the id or source is kilobytes long.
/// </summary>
internal static class EventKey
{
    public static byte[] Of(StoredEvent e)
    {
        var builder = new StringBuilder(e.Tenant.Length + e.Source.Length + e.Id.Length + 24);
        foreach (var part in (ReadOnlySpan<string>)[e.Tenant, e.Source, e.Id]) builder.Append(part.Length).Append(':').Append(part);
        return SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()));
    }
}
