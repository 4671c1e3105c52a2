using Mediator;
using RulesBilling.Host.Api.Features.Guards;
using RulesBilling.Host.Api.Features.Invoices;
using RulesBilling.Host.Api.Infrastructure;
using RulesBilling.Host.Api.OpenApi;

namespace RulesBilling.Host.Api.Endpoints;

internal static class InvoiceEndpoints
{
    internal sealed record FinalizeRequest(DateTimeOffset PeriodFrom);

    internal sealed record VoidRequest(string? Reason = null);

    public static void MapInvoiceEndpoints(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/v1/customers/{customer}").WithTags("Invoices");

        customers.MapGet("/invoices/preview", async (string customer, DateTimeOffset? at, HttpContext http, ISender sender, CancellationToken ct) =>
                InvoiceResults.Preview(await sender.Send(new PreviewInvoice(http.Caller(), customer, at), ct), at))
            .Produces<PreviewDocument>()
            .WithSummary("Draft the invoice of the current period (or the one containing ?at=), with every line explained; nothing is stored.")
            .WithDescription($"A line whose events, pending or excluded list holds more than {PreviewEventLists.Limit} entries shows the first " +
                $"{PreviewEventLists.Limit} of each and an 'eventLists' summary (totals, exclusions by reason, the 'next' page of each list); " +
                "GET …/invoices/preview/lines/{line}/events pages the rest. Finalized invoices always list every event.");

        customers.MapGet("/invoices/preview/lines/{line}/events",
                async (string customer, string line, string? list, string? cursor, int? limit, DateTimeOffset? at, HttpContext http, ISender sender, CancellationToken ct) =>
                    Results.Ok(await sender.Send(new GetPreviewLineEvents(http.Caller(), customer, line, list, cursor, limit, at), ct)))
            .Produces<PreviewLineEventsView>()
            .WithSummary("One page of a preview line's counted events (?list=events, default), pending outcomes (?list=pending) or excluded events with their reasons (?list=excluded).")
            .WithDescription($"The preview of the period (?at= as for the preview) is recomputed for each page. ?limit= (1..{PreviewEventLists.Limit}, " +
                $"default {PreviewEventLists.Limit}) entries per page; 'next' is the path of the following page (null on the last), its opaque ?cursor= " +
                "carries the list and resumes after the last entry returned even when events arrived in between. A cursor this endpoint did not " +
                "issue is 400; one whose entry left the list (the preview changed) is 409: start again without a cursor.");

        customers.MapPost("/invoices/finalize", async (string customer, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var body = await RequestBody.ReadJsonAsync<FinalizeRequest>(http.Request, ct);
                return InvoiceResults.One(await sender.Send(new FinalizeInvoice(http.Caller(), customer, body.PeriodFrom), ct));
            })
            .Accepts<FinalizeRequest>(RequestBody.Json)
            .Produces<InvoiceDocument>()
            .WithSummary("Finalize the period containing periodFrom (idempotent: finalizing again returns the same invoice).");

        customers.MapPost("/corrections", async (string customer, HttpContext http, ISender sender, CancellationToken ct) =>
                InvoiceResults.Many(await sender.Send(new IssueCorrections(http.Caller(), customer), ct)))
            .Produces<IReadOnlyList<InvoiceDocument>>()
            .WithSummary("Re-rate finalized periods and issue credit notes / adjustment invoices for late changes.");

        customers.MapPost("/invoices/thresholds", async (string customer, HttpContext http, ISender sender, CancellationToken ct) =>
                InvoiceResults.Many(await sender.Send(new IssueThresholdInvoices(http.Caller(), customer), ct)))
            .Produces<IReadOnlyList<InvoiceDocument>>()
            .WithSummary("Issue the threshold invoices the open period owes for its usage so far (dsl-spec §10.9); idempotent: each threshold is billed once per period.");

        var invoices = app.MapGroup("/v1/invoices").WithTags("Invoices");

        invoices.MapGet("/", async (string? customer, HttpContext http, ISender sender, CancellationToken ct) =>
                InvoiceResults.Many(await sender.Send(new ListInvoices(http.Caller(), customer), ct)))
            .Produces<IReadOnlyList<InvoiceDocument>>()
            .WithSummary("List stored invoices, credit notes and adjustments (optionally ?customer=).");

        invoices.MapGet("/{invoice}", async (string invoice, HttpContext http, ISender sender, CancellationToken ct) =>
                InvoiceResults.One(await sender.Send(new GetInvoice(http.Caller(), invoice), ct)))
            .Produces<InvoiceDocument>()
            .WithSummary("Get one invoice (by id or number) with the full explanation of each line.");

        invoices.MapPost("/{invoice}/void", async (string invoice, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                // The body is optional: a void without one records no reason.
                var body = http.Request.ContentLength is 0 || http.Request.ContentType is null ? new VoidRequest() : await RequestBody.ReadJsonAsync<VoidRequest>(http.Request, ct);
                return InvoiceResults.One(await sender.Send(new VoidInvoice(http.Caller(), invoice, body.Reason), ct));
            })
            .Accepts<VoidRequest>(RequestBody.Json)
            .Produces<InvoiceDocument>()
            .WithSummary("Void an invoice (its consumed credits are given back); optional body {\"reason\": \"...\"} (at most 500 characters).")
            .WithDescription("The reason is optional, as in Stripe and Lago. It is recorded on the voided document (voidReason, with voidedAt), " +
                "in the audit trail and in the invoice.voided / credit_note.voided webhook. Voiding a void document changes nothing.");

        invoices.MapPost("/{invoice}/release", async (string invoice, HttpContext http, ISender sender, CancellationToken ct) =>
                InvoiceResults.One(await sender.Send(new ReleaseInvoice(http.Caller(), invoice), ct)))
            .WithTags("Guards")
            .Produces<InvoiceDocument>()
            .WithSummary("Release an invoice held by a guard; finalizing its period then goes through.");

        var guards = app.MapGroup("/v1/guards").WithTags("Guards");

        guards.MapGet("/held", async (HttpContext http, ISender sender, CancellationToken ct) =>
                InvoiceResults.Many(await sender.Send(new ListHeldInvoices(http.Caller()), ct)))
            .Produces<IReadOnlyList<InvoiceDocument>>()
            .WithSummary("Invoices held by a guard.");

        guards.MapGet("/alerts", async (HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListAlerts(http.Caller()), ct)))
            .Produces<IReadOnlyList<AlertView>>()
            .WithSummary("Triggered guards on stored invoices.");
    }
}
