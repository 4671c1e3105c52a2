using Mediator;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Payments;

internal static class PaymentEndpoints
{
    /// <summary>Stripe takes secretKey; Razorpay takes keyId and keySecret; both take webhookSecret and an optional apiBase.</summary>
    internal sealed record ProviderAccountRequest(
        string? SecretKey = null, string? KeyId = null, string? KeySecret = null, string? WebhookSecret = null, string? ApiBase = null);

    internal sealed record CustomerPaymentRequest(string? Provider, string? Name = null, string? Email = null, string? Contact = null);

    public static void MapPaymentEndpoints(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/v1/payments").WithTags("Payments");

        payments.MapPut("/accounts/{provider}", async (string provider, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var parsed = ProviderNames.RequireInPath(provider);
                var body = await RequestBody.ReadJsonAsync<ProviderAccountRequest>(http.Request, ct);
                return Results.Ok(await sender.Send(new ConfigureProviderAccount(http.Caller(), parsed, body.SecretKey, body.KeyId, body.KeySecret,
                    body.WebhookSecret, body.ApiBase), ct));
            })
            .Accepts<ProviderAccountRequest>(RequestBody.Json)
            .Produces<ProviderAccountView>()
            .WithSummary("Set the tenant's credentials at stripe or razorpay. Secrets are stored, never returned or logged; the answer gives the webhook path to register.");

        payments.MapGet("/accounts", async (HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListProviderAccounts(http.Caller()), ct)))
            .Produces<IReadOnlyList<ProviderAccountView>>()
            .WithSummary("The tenant's configured providers (no secrets).");

        payments.MapGet("/dead-letters", async (HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListDeadLetters(http.Caller()), ct)))
            .Produces<IReadOnlyList<OutboxRecordView>>()
            .WithSummary("Outbox records that stopped: dead letters (retries exhausted), needsHuman (refused by the provider) and mismatch (totals differ).");

        payments.MapPost("/outbox/{id}/requeue", async (string id, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new RequeueOutboxRecord(http.Caller(), id), ct)))
            .Produces<OutboxRecordView>()
            .WithSummary("Put a stopped outbox record back in the queue; it resumes from its last checkpoint with its stored idempotency keys.");

        var customers = app.MapGroup("/v1/customers/{customer}").WithTags("Payments");

        customers.MapPut("/payment-provider", async (string customer, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var body = await RequestBody.ReadJsonAsync<CustomerPaymentRequest>(http.Request, ct);
                return Results.Ok(await sender.Send(new SetCustomerPaymentProvider(http.Caller(), customer, body.Provider, body.Name, body.Email, body.Contact), ct));
            })
            .Accepts<CustomerPaymentRequest>(RequestBody.Json)
            .Produces<CustomerPaymentView>()
            .WithSummary("Send the customer's invoices finalized from now on to stripe, razorpay or none, with the name, email and contact the provider's customer gets (Razorpay: an email or a contact is required).");

        customers.MapGet("/payment-provider", async (string customer, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetCustomerPaymentProvider(http.Caller(), customer), ct)))
            .Produces<CustomerPaymentView>()
            .WithSummary("The customer's payment provider (none when not set).");

        app.MapGet("/v1/invoices/{invoice}/payment", async (string invoice, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetInvoicePayment(http.Caller(), invoice), ct)))
            .WithTags("Payments")
            .Produces<InvoicePaymentView>()
            .WithSummary("An invoice's sync records (step, attempts, last error, provider ids) and its payment state (sent, paid, paymentFailed, voided).");

        app.MapProviderWebhookEndpoints();
    }
}
