using RulesBilling.Host.Portal;

namespace RulesBilling.Host.Tests.Portal;

/// <summary>The portal key configuration (<c>--portal-key</c>, RULESBILLING_PORTAL_KEYS) and the token rules it feeds.</summary>
public sealed class PortalKeysTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("nocolon", "portal key 'nocolon' must be written id:secret")]
    [InlineData("k 1:0123456789abcdef0123456789abcdef", "portal key id 'k 1' may only hold letters, digits, '-' and '_' (at most 32)")]
    [InlineData("k1:short", "portal key 'k1' needs a secret of at least 32 characters")]
    [InlineData("k1:0123456789abcdef0123456789abcdef,k1:0123456789abcdef0123456789abcdeX", "portal key id 'k1' is given twice")]
    public void A_bad_key_list_is_refused_with_a_readable_reason(string spec, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => PortalKeys.Parse([spec])).Message);

    [Fact]
    public void The_first_key_signs_and_every_key_verifies()
    {
        var keys = PortalKeys.Parse([$"new:{Secret}", $"old:{Secret.ToUpperInvariant()}"]);
        Assert.Equal("new", keys.Current.Id);
        var now = new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);
        var grant = new PortalGrant("acme", "cust-1", now.AddHours(1));
        var oldToken = PortalToken.Issue(keys.Find("old")!, grant);

        Assert.Equal((grant, (PortalRefusal?)null), PortalToken.Verify(keys, oldToken, now));
        Assert.Equal(PortalRefusal.Expired, PortalToken.Verify(keys, oldToken, now.AddHours(1)).Refusal);
        Assert.Equal(PortalRefusal.UnknownKey, PortalToken.Verify(PortalKeys.Parse([$"new:{Secret}"]), oldToken, now).Refusal);
        Assert.Equal(PortalRefusal.BadSignature, PortalToken.Verify(keys, "new" + oldToken[3..], now).Refusal);
        Assert.False(PortalKeys.None.Configured);
    }
}
