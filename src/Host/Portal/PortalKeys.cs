using System.Text;
using System.Text.RegularExpressions;

namespace RulesBilling.Host.Portal;

/// <summary>One HMAC key that signs or verifies portal links, named so a token says which key signed it.</summary>
internal sealed record PortalSigningKey(string Id, byte[] Secret);

/// <summary>
/// The keys portal links are signed with (<c>--portal-key</c> / <c>RULESBILLING_PORTAL_KEYS</c>): the first signs new
/// links, every key verifies. Rotation: put the new key first and keep the old one after it until its links have
/// expired, then drop it (dropping it revokes every link it signed).
/// </summary>
internal sealed partial class PortalKeys
{
    public const string Variable = "RULESBILLING_PORTAL_KEYS";
    public const int MinimumSecretLength = 32;

    private readonly IReadOnlyList<PortalSigningKey> _keys;

    private PortalKeys(IReadOnlyList<PortalSigningKey> keys) => _keys = keys;

    public static readonly PortalKeys None = new([]);

    /// <summary>Whether any key is configured (without one, no portal link can be made).</summary>
    public bool Configured => _keys.Count > 0;

    /// <summary>The key new links are signed with.</summary>
    public PortalSigningKey Current => _keys.Count > 0 ? _keys[0] : throw new InvalidOperationException("No portal key is configured.");

    public PortalSigningKey? Find(string id) => _keys.FirstOrDefault(k => string.Equals(k.Id, id, StringComparison.Ordinal));

    /// <summary>
    /// Parses <c>id:secret[,id:secret…]</c> (or one entry per item); ids are letters, digits, '-' and '_', secrets at
    /// least <see cref="MinimumSecretLength"/> characters. Throws <see cref="FormatException"/> with a readable message.
    /// </summary>
    public static PortalKeys Parse(IEnumerable<string> entries)
    {
        var keys = new List<PortalSigningKey>();
        foreach (var entry in entries.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var colon = entry.IndexOf(':');
            if (colon <= 0) throw new FormatException($"portal key '{Shorten(entry)}' must be written id:secret");
            var id = entry[..colon];
            var secret = entry[(colon + 1)..];
            if (!IdPattern().IsMatch(id)) throw new FormatException($"portal key id '{id}' may only hold letters, digits, '-' and '_' (at most 32)");
            if (secret.Length < MinimumSecretLength) throw new FormatException($"portal key '{id}' needs a secret of at least {MinimumSecretLength} characters");
            if (keys.Any(k => k.Id == id)) throw new FormatException($"portal key id '{id}' is given twice");
            keys.Add(new PortalSigningKey(id, Encoding.UTF8.GetBytes(secret)));
        }
        return new PortalKeys(keys);
    }

    private static string Shorten(string entry) => entry.Length <= 8 ? entry : entry[..8] + "…";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex IdPattern();
}
