using System.Text;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using RulesBilling.Engine.Payments;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Payments;

/// <summary>
/// <c>POST /v1/webhooks/stripe/{tenant}</c> and <c>/v1/webhooks/razorpay/{tenant}</c>. The tenant is in the path
/// because the delivery carries no API key and the signature can only be checked once we know whose webhook secret
/// to check it with; trying every tenant's secret would cost one HMAC per tenant and let one tenant's secret vouch for
/// another's URL. Knowing the path gives nothing: without that tenant's secret every delivery is refused.
/// </summary>
internal static class ProviderWebhookEndpoints
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    internal sealed record WebhookAnswer(bool Received, string? EventId, bool Duplicate);

    /// <summary>The path to give the provider as the webhook endpoint of a tenant.</summary>
    public static string Path(PaymentProvider provider, string tenant) => $"/v1/webhooks/{ProviderNames.Of(provider)}/{Uri.EscapeDataString(tenant)}";

    public static void MapProviderWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/webhooks").WithTags("Payments").AllowAnonymous();

        group.MapPost("/stripe/{tenant}", (string tenant, HttpContext http, ISender sender, CancellationToken ct) =>
                ReceiveAsync(PaymentProvider.Stripe, tenant, http, sender, "Stripe-Signature", null, ct))
            .Produces<WebhookAnswer>()
            .WithSummary("Stripe events for a tenant: verified with the tenant's webhook secret (Stripe-Signature, 300 s tolerance) on the raw body, stored once by event id, applied in the background.");

        group.MapPost("/razorpay/{tenant}", (string tenant, HttpContext http, ISender sender, CancellationToken ct) =>
                ReceiveAsync(PaymentProvider.Razorpay, tenant, http, sender, "X-Razorpay-Signature", "X-Razorpay-Event-Id", ct))
            .Produces<WebhookAnswer>()
            .WithSummary("Razorpay events for a tenant: X-Razorpay-Signature (HMAC-SHA256 of the raw body) checked in constant time, stored once by x-razorpay-event-id, applied in the background.");
    }

    private static async Task<IResult> ReceiveAsync(
        PaymentProvider provider, string tenant, HttpContext http, ISender sender, string signatureHeader, string? eventIdHeader, CancellationToken ct)
    {
        if (Identifiers.Check("tenant", tenant).FirstOrDefault() is { } invalid) throw ApiProblemException.BadRequest(invalid);
        // The signature covers the exact bytes sent: read them before anything parses or re-encodes the body.
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        string body;
        try
        {
            body = StrictUtf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw ApiProblemException.BadRequest("The webhook body is not UTF-8 text.");
        }

        var headers = http.Request.Headers;
        var receipt = await sender.Send(new ReceiveWebhook(provider, tenant, body, NonEmpty(headers[signatureHeader].ToString()),
            eventIdHeader is null ? null : NonEmpty(headers[eventIdHeader].ToString())), ct);
        return receipt.Outcome == WebhookOutcome.Rejected
            ? throw ApiProblemException.BadRequest(receipt.Error ?? "The webhook was refused.")
            : Results.Ok(new WebhookAnswer(true, receipt.EventId, receipt.Outcome == WebhookOutcome.Duplicate));
    }

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;
}
