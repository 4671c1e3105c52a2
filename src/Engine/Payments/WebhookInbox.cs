using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Stripe;

namespace RulesBilling.Engine.Payments;

public enum WebhookOutcome { Accepted, Duplicate, Rejected }

/// <summary>Answer to a webhook delivery: accepted and duplicate get a 2xx, rejected a 400 with the reason.</summary>
public sealed record WebhookReceipt(WebhookOutcome Outcome, string? EventId, string? Error);

/// <summary>
/// Verifies webhook deliveries on their raw body and stores each provider event once (by event id) for
/// <see cref="WebhookApplier"/> to apply in the background. Stripe: <c>Stripe-Signature</c> (t=, v1=) checked by
/// Stripe.net with a tolerance against our clock; Razorpay: hex HMAC-SHA256 of the body compared in constant time.
/// </summary>
public sealed class WebhookInbox(IPaymentStore store, TimeProvider time)
{
    public const long DefaultToleranceSeconds = 300;

    public WebhookReceipt ReceiveStripe(string tenant, string rawBody, string? signatureHeader, long toleranceSeconds = DefaultToleranceSeconds)
    {
        if (store.FindAccount(tenant, PaymentProvider.Stripe) is not { } account) return Rejected($"tenant '{tenant}' has no Stripe account configured");
        if (string.IsNullOrEmpty(signatureHeader)) return Rejected("missing Stripe-Signature header");
        try
        {
            EventUtility.ValidateSignature(rawBody, signatureHeader, account.WebhookSecret, toleranceSeconds, time.GetUtcNow().ToUnixTimeSeconds());
        }
        catch (StripeException e)
        {
            return Rejected("Stripe signature rejected: " + e.Message);
        }
        return Store(tenant, PaymentProvider.Stripe, rawBody, headerEventId: null);
    }

    public WebhookReceipt ReceiveRazorpay(string tenant, string rawBody, string? signatureHeader, string? eventIdHeader)
    {
        if (store.FindAccount(tenant, PaymentProvider.Razorpay) is not { } account) return Rejected($"tenant '{tenant}' has no Razorpay account configured");
        if (string.IsNullOrEmpty(signatureHeader)) return Rejected("missing X-Razorpay-Signature header");
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(account.WebhookSecret), Encoding.UTF8.GetBytes(rawBody));
        byte[] given;
        try
        {
            given = Convert.FromHexString(signatureHeader.Trim());
        }
        catch (FormatException)
        {
            return Rejected("X-Razorpay-Signature is not hex");
        }
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return Rejected("Razorpay signature does not match the body");
        return Store(tenant, PaymentProvider.Razorpay, rawBody, eventIdHeader);
    }

    private WebhookReceipt Store(string tenant, PaymentProvider provider, string rawBody, string? headerEventId)
    {
        WebhookEvent parsed;
        try
        {
            parsed = WebhookPayload.Parse(tenant, provider, rawBody, headerEventId, time.GetUtcNow());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Rejected($"malformed {provider} event: {e.Message}");
        }
        return store.AddWebhookEvent(parsed)
            ? new WebhookReceipt(WebhookOutcome.Accepted, parsed.EventId, null)
            : new WebhookReceipt(WebhookOutcome.Duplicate, parsed.EventId, null);
    }

    private static WebhookReceipt Rejected(string error) => new(WebhookOutcome.Rejected, null, error);
}
