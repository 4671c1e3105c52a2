using System.Text;
using Mediator;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Features.RuleSets;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Accounting;

/// <summary>The tenant's journal (or revenue schedule) dated in [From, To), in one export format.</summary>
internal sealed record GetJournal(Caller Caller, string? From, string? To, string? Format) : IQuery<JournalDocument>, IApiMessage;

internal sealed class GetJournalHandler(IBillingStore billing, IPaymentStore payments, RuleSetCatalog catalog, TimeProvider time)
    : IQueryHandler<GetJournal, JournalDocument>
{
    public ValueTask<JournalDocument> Handle(GetJournal query, CancellationToken cancellationToken)
    {
        var tenant = query.Caller.Tenant;
        try
        {
            var from = JournalExport.ParseDate(query.From, "from");
            var to = JournalExport.ParseDate(query.To, "to");
            var rules = catalog.Require(tenant).RuleSet;
            return ValueTask.FromResult(JournalExport.Render(billing, payments, tenant, rules, from, to, query.Format ?? JournalExport.Csv, time.GetUtcNow()));
        }
        catch (FormatException e)
        {
            throw ApiProblemException.BadRequest(e.Message);
        }
    }
}

internal static class JournalEndpoints
{
    public static void MapJournalEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/journal", async (string? from, string? to, string? format, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var document = await sender.Send(new GetJournal(http.Caller(), from, to, format), ct);
                return Results.Text(document.Body, document.ContentType, Encoding.UTF8);
            })
            .WithTags("Accounting")
            .Produces<string>(StatusCodes.Status200OK, "text/csv", "application/json")
            .WithSummary("The double-entry journal dated in [from, to) (yyyy-MM-dd, UTC days): ?format=csv (default), qbo (QuickBooks Online JournalEntry bodies) or schedule (revenue schedule entries).")
            .WithDescription("Derived from issued invoices, credit notes, adjustments, voids, credit grants and provider payments/refunds; " +
                "every entry balances. See docs/accounting.md for the accounts and the recognition rules.");
    }
}
