using Mediator;
using RulesBilling.Host.Api.Features.Invoices;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Portal;

/// <summary>The tenant API's PDF and printable page of an issued invoice or credit note (the portal serves the same ones).</summary>
internal static class InvoiceDocumentEndpoints
{
    public static void MapInvoiceDocumentEndpoints(this IEndpointRouteBuilder app)
    {
        var invoices = app.MapGroup("/v1/invoices/{invoice}").WithTags("Invoices");

        invoices.MapGet("/pdf", async (string invoice, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                using var doc = new InvoiceDocument(await sender.Send(new GetInvoice(http.Caller(), invoice), ct));
                return InvoicePdf.Result(http, doc);
            })
            .Produces<byte[]>(StatusCodes.Status200OK, "application/pdf")
            .WithSummary("The PDF of a finalized (or void) invoice, credit note or adjustment, with the explanation of every line; 409 for a held invoice.");

        invoices.MapGet("/print", async (string invoice, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                using var doc = new InvoiceDocument(await sender.Send(new GetInvoice(http.Caller(), invoice), ct));
                if (!doc.Printable)
                    throw ApiProblemException.Conflict($"{doc.Title} {doc.Name} is {Engine.Invoicing.InvoiceNames.Of(doc.Invoice.Status)}: only finalized and void documents have a printable page.");
                return Html.Result(Html.Page($"{doc.Title} {doc.Name}", "Invoice", [], InvoiceHtml.Body(doc, null, null, null)));
            })
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .WithSummary("A printable HTML page of a finalized (or void) document, the same content as its PDF.");
    }
}
