using RulesBilling.Engine.Payments;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Payments;

/// <summary>Providers as they appear in URLs and bodies: lower-case <c>stripe</c>, <c>razorpay</c> (and <c>none</c> for a customer).</summary>
internal static class ProviderNames
{
    public static string Of(PaymentProvider provider) => provider.ToString().ToLowerInvariant();

    public static PaymentProvider? TryParse(string? name) => name switch
    {
        "stripe" => PaymentProvider.Stripe,
        "razorpay" => PaymentProvider.Razorpay,
        "none" => PaymentProvider.None,
        _ => null,
    };

    /// <summary>A provider named in a URL path: an unknown one is a resource that does not exist.</summary>
    public static PaymentProvider RequireInPath(string name) =>
        TryParse(name) is { } provider and not PaymentProvider.None
            ? provider
            : throw ApiProblemException.NotFound($"Unknown payment provider '{name}' (stripe, razorpay).");
}
