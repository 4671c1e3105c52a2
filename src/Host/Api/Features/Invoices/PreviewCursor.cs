using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace RulesBilling.Host.Api.Features.Invoices;

/// <summary>
/// Where a page of a preview line's event list continues: the list, the offset of the next entry and the id of the
/// entry before it. The preview is recomputed for every page, so events accepted in between may shift the list; the
/// id lets the next page resume right after the entry the client last saw (<see cref="PreviewEventLists.Page"/>).
/// Opaque to clients: base64url of its three parts.
/// </summary>
internal sealed record PreviewCursor(string List, int Offset, string LastId)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{List}\n{Offset.ToString(CultureInfo.InvariantCulture)}\n{LastId}"));

    /// <summary>The cursor <paramref name="text"/> encodes, or null when it is not one <see cref="Encode"/> wrote.</summary>
    public static PreviewCursor? Decode(string text)
    {
        if (text.Length == 0 || text.Length > 4096 || !Base64Url.IsValid(text)) return null;
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(text));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            return null;
        }
        var parts = decoded.Split('\n', 3);
        return parts.Length == 3 && PreviewEventLists.Lists.Contains(parts[0], StringComparer.Ordinal)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset > 0 && parts[2].Length > 0
            ? new PreviewCursor(parts[0], offset, parts[2])
            : null;
    }
}
