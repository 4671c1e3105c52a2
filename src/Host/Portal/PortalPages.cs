using System.Text;
using System.Text.Json;
using Mediator;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Features.Credits;
using RulesBilling.Host.Api.Features.Entitlements;
using RulesBilling.Host.Api.Features.Invoices;
using RulesBilling.Host.Api.Features.RuleSets;
using RulesBilling.Host.Api.Features.Usage;
using RulesBilling.Host.Api.Infrastructure;
using static RulesBilling.Host.Portal.Html;

namespace RulesBilling.Host.Portal;

/// <summary>
/// The customer portal under <c>/portal/{token}</c>: read-only pages for the one customer of one tenant a signed link
/// grants. Every page asks the same queries as the tenant API, as a caller scoped to the link's tenant, and every
/// document is checked to belong to the link's customer; anything else gets the same "not found" page.
/// </summary>
internal static class PortalPages
{
    private const string Site = "Billing portal";

    public static void MapPortalPages(this IEndpointRouteBuilder app)
    {
        app.MapGet(StylesheetPath, () => PortalAssets.Stylesheet()).ExcludeFromDescription();
        var portal = app.MapGroup("/portal/{token}").ExcludeFromDescription();

        portal.MapGet("/", (string token, HttpContext http, ISender sender, CancellationToken ct) =>
            Guarded(token, http, async grant =>
            {
                var invoices = (await sender.Send(new ListInvoices(grant.Caller, grant.Customer), ct))
                    .Where(i => i.Customer == grant.Customer && i.Status is InvoiceStatus.Finalized or InvoiceStatus.Void)
                    .OrderByDescending(i => i.PeriodFrom.UtcTicks).ThenBy(i => i.Number ?? i.Id, StringComparer.Ordinal).ToList();
                var body = new StringBuilder("<h1>Invoices</h1>");
                body.Append(Table("Invoices and credit notes, newest period first", ["Document", "Kind", "Period", "Status", "Total"],
                    invoices.Select(i => (IReadOnlyList<string>)
                    [
                        $"<a href=\"{E(grant.Href($"/invoices/{Seg(i.Id)}"))}\">{E(i.Number ?? i.Id)}</a>",
                        E(InvoiceNames.Of(i.Kind)), E($"{Date(i.PeriodFrom)} to {Date(i.PeriodTo)}"),
                        $"<span class=\"badge {E(InvoiceNames.Of(i.Status))}\">{E(InvoiceNames.Of(i.Status))}</span>",
                        E(Engine.Rating.CurrencyMath.Format(i.Total, i.Currency) + " " + i.Currency),
                    ]), numeric: new HashSet<int> { 4 }, empty: "No invoice has been issued yet."));
                return grant.Page("Invoices", "invoices", body.ToString());
            }));

        portal.MapGet("/invoices/{invoice}", (string token, string invoice, HttpContext http, ISender sender, CancellationToken ct) =>
            Guarded(token, http, async grant =>
            {
                using var doc = new InvoiceDocument(await OwnInvoice(grant, sender, invoice, ct));
                var id = Seg(doc.Invoice.Id);
                return grant.Page($"{doc.Title} {doc.Name}", "invoices", InvoiceHtml.Body(doc,
                    line => grant.Href($"/invoices/{id}/lines/{Seg(line)}"), grant.Href($"/invoices/{id}/pdf"), grant.Href($"/invoices/{id}/print")));
            }));

        portal.MapGet("/invoices/{invoice}/print", (string token, string invoice, HttpContext http, ISender sender, CancellationToken ct) =>
            Guarded(token, http, async grant =>
            {
                using var doc = new InvoiceDocument(await OwnInvoice(grant, sender, invoice, ct));
                return Result(Page($"{doc.Title} {doc.Name}", Site, [], InvoiceHtml.Body(doc, null, null, null)));
            }));

        portal.MapGet("/invoices/{invoice}/pdf", (string token, string invoice, HttpContext http, ISender sender, CancellationToken ct) =>
            Guarded(token, http, async grant =>
            {
                using var doc = new InvoiceDocument(await OwnInvoice(grant, sender, invoice, ct));
                return InvoicePdf.Result(http, doc);
            }));

        portal.MapGet("/invoices/{invoice}/lines/{line}", (string token, string invoice, string line, HttpContext http, ISender sender,
                RuleSetCatalog catalog, IBillingStore billing, CancellationToken ct) =>
            Guarded(token, http, async grant =>
            {
                using var doc = new InvoiceDocument(await OwnInvoice(grant, sender, invoice, ct));
                var found = doc.Lines.Cast<JsonElement?>().FirstOrDefault(l => JsonHtml.Str(l!.Value, "id") == line)
                    ?? throw ApiProblemException.NotFound("This document has no such line.");
                return grant.Page("Events of " + InvoiceDocument.LineTitle(found), "invoices", LineEvents(grant, doc, found, catalog, billing));
            }));

        portal.MapGet("/outcomes/{outcome}/{**key}", (string token, string outcome, string key, HttpContext http, ISender sender, CancellationToken ct) =>
            Guarded(token, http, async grant =>
            {
                var view = await sender.Send(new GetOutcomeEvents(grant.Caller, grant.Customer, outcome, key), ct);
                var b = new StringBuilder($"<h1>Outcome {E(outcome)} <code>{E(key)}</code></h1>");
                foreach (var instance in view.Instances)
                {
                    var o = instance.Outcome;
                    b.Append("<h2>").Append(E(o.Outcome)).Append(" — ").Append(E(o.State)).Append("</h2><dl class=\"facts\">")
                     .Append(InvoiceHtml.Fact("Event", E(o.Event))).Append(InvoiceHtml.Fact("Happened", E(Time(o.EventTime))))
                     .Append(InvoiceHtml.Fact("Billable from", E(Time(o.BillableAt)))).Append(InvoiceHtml.Fact("Quantity", E(Num(o.Quantity))));
                    if (o.ReversedBy is not null) b.Append(InvoiceHtml.Fact("Reversed by", E(o.ReversedBy)));
                    b.Append("</dl>");
                    b.Append(Table("Events behind this outcome", ["Event", "Role", "Type", "Time", "Data"],
                        instance.Events.Select(e => (IReadOnlyList<string>)
                        [
                            E(EventRef.Of(e.Source, e.Id)), E(e.Role), E(e.Type), E(Time(e.Time)),
                            e.Data is { } data ? $"<pre class=\"data\">{E(JsonSerializer.Serialize(data, PrettyJson))}</pre>" : "—",
                        ])));
                }
                return grant.Page($"Outcome {outcome} {key}", "usage", b.ToString());
            }));

        portal.MapGet("/usage", (string token, HttpContext http, ISender sender, TimeProvider clock, RuleSetCatalog catalog, IBillingStore billing, CancellationToken ct) =>
            Guarded(token, http, async grant => grant.Page("Usage", "usage", await PortalUsage.Body(grant, sender, clock, catalog, billing, ct))));

        portal.MapGet("/credits", (string token, HttpContext http, ISender sender, CancellationToken ct) =>
            Guarded(token, http, async grant =>
            {
                var ledger = await sender.Send(new GetCreditLedger(grant.Caller, grant.Customer), ct);
                var b = new StringBuilder("<h1>Credits</h1>");
                try
                {
                    var balance = await sender.Send(new GetBalance(grant.Caller, grant.Customer), ct);
                    b.Append(Table("Prepaid balance now", ["Currency", "Granted", "Committed by this period", "Pending", "Available"],
                        balance.Balances.Select(x => (IReadOnlyList<string>)
                            [E(x.Currency), E(Num(x.Granted)), E(Num(x.Committed)), E(Num(x.Pending)), E(Num(x.Available))]),
                        numeric: new HashSet<int> { 1, 2, 3, 4 }, empty: "No prepaid credit."));
                }
                catch (ApiProblemException problem)
                {
                    b.Append(Table("Credit balance", ["Currency", "Balance"],
                        ledger.Balances.Select(x => (IReadOnlyList<string>)[E(x.Currency), E(Num(x.Amount))]), numeric: new HashSet<int> { 1 }, empty: "No prepaid credit."));
                    b.Append("<p class=\"notice\">").Append(E(problem.Detail)).Append("</p>");
                }
                b.Append("<h2>Grants</h2>").Append(Table("Credit grants", ["Grant", "Amount", "Priority", "Granted", "Expires", "Description"],
                    ledger.Grants.Select(g => (IReadOnlyList<string>)
                    [
                        E(g.Id), E($"{Num(g.Amount)} {g.Currency}"), E(g.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                        E(Time(g.GrantedAt)), E(g.ExpiresAt is { } x ? Time(x) : "never"), E(g.Description ?? "—"),
                    ]), numeric: new HashSet<int> { 1, 2 }, empty: "No credit has been granted."));
                b.Append("<h2>Ledger</h2>").Append(Table("Credit ledger, oldest first", ["Entry", "When", "Kind", "Amount", "Balance after", "Invoice"],
                    ledger.Entries.Select(e => (IReadOnlyList<string>)
                    [
                        E(e.Id), E(Time(e.At)), E(e.Kind), E($"{Num(e.Amount)} {e.Currency}"), E($"{Num(e.BalanceAfter)} {e.Currency}"),
                        e.InvoiceId is null ? "—" : $"<a href=\"{E(grant.Href($"/invoices/{Seg(e.InvoiceId)}"))}\">{E(e.InvoiceId)}</a>",
                    ]), numeric: new HashSet<int> { 3, 4 }, empty: "No ledger movement yet."));
                return grant.Page("Credits", "credits", b.ToString());
            }));
    }

    private static readonly JsonSerializerOptions PrettyJson = new() { WriteIndented = true };

    /// <summary>The invoice when it is an issued document of the link's customer; otherwise the same 404 as for no such invoice.</summary>
    private static async Task<Invoice> OwnInvoice(PortalCaller grant, ISender sender, string id, CancellationToken ct)
    {
        Invoice? invoice = null;
        try
        {
            invoice = await sender.Send(new GetInvoice(grant.Caller, id), ct);
        }
        catch (ApiProblemException problem) when (problem.Status == StatusCodes.Status404NotFound)
        {
        }
        if (invoice is null || invoice.Customer != grant.Customer || invoice.Status is not (InvoiceStatus.Finalized or InvoiceStatus.Void))
            throw ApiProblemException.NotFound("There is no such document for this account.");
        return invoice;
    }

    private static string LineEvents(PortalCaller grant, InvoiceDocument doc, JsonElement line, RuleSetCatalog catalog, IBillingStore billing)
    {
        // The activity read model places this customer's events into outcomes, as rating did: it links each counted event
        // to the outcome drill-down. Only the link's customer's events are read.
        var events = billing.ReadEvents(grant.Tenant, grant.Customer).ToList();
        var byRef = events.ToDictionary(e => EventRef.Of(e.Source, e.Id), StringComparer.Ordinal);
        var outcomes = catalog.Find(grant.Tenant)?.RuleSet is { } rules
            ? CustomerActivity.From(rules, grant.Customer, events).Outcomes
                .GroupBy(o => EventRef.Of(o.EventSource, o.EventId), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)
            : [];
        var title = InvoiceDocument.LineTitle(line);
        var invoiceHref = grant.Href($"/invoices/{Seg(doc.Invoice.Id)}");
        var b = new StringBuilder($"<p><a href=\"{E(invoiceHref)}#line-{E(JsonHtml.Str(line, "id"))}\">Back to {E(doc.Title.ToLowerInvariant())} {E(doc.Name)}</a></p>");
        b.Append("<h1>Events of “").Append(E(title)).Append("”</h1><ul>");
        foreach (var sentence in InvoiceDocument.Summary(line, doc.Invoice.Currency)) b.Append("<li>").Append(E(sentence)).Append("</li>");
        b.Append("</ul>");
        string Data(string reference) => byRef.TryGetValue(reference, out var e) && !string.IsNullOrWhiteSpace(e.DataJson)
            ? $"<pre class=\"data\">{E(e.DataJson)}</pre>" : "—";
        string When(string reference) => byRef.TryGetValue(reference, out var e) ? E(Time(e.Time)) : "—";
        string Outcome(string reference) => outcomes.TryGetValue(reference, out var o)
            ? $"<a href=\"{E(grant.Href($"/outcomes/{Seg(o.Outcome)}/{string.Join('/', o.Key.Split('/').Select(Seg))}"))}\">{E(o.Outcome)} {E(o.Key)}</a>"
            : "—";
        var counted = line.GetProperty("events").EnumerateArray().Select(e => e.GetString() ?? "").ToList();
        b.Append("<h2>Counted (").Append(counted.Count).Append(")</h2>");
        b.Append(Table("Events counted on this line", ["Event", "Time", "Outcome", "Data"],
            counted.Select(r => (IReadOnlyList<string>)[E(r), When(r), Outcome(r), Data(r)]), empty: "No event was counted on this line."));
        var excluded = line.GetProperty("excluded").EnumerateArray().ToList();
        b.Append("<h2>Excluded (").Append(excluded.Count).Append(")</h2>");
        b.Append(Table("Events excluded from this line, with the reason", ["Event", "Reason", "Detail", "Time", "Data"],
            excluded.Select(x =>
            {
                var r = JsonHtml.Str(x, "id") ?? "";
                return (IReadOnlyList<string>)[E(r), E(JsonHtml.Str(x, "reason")), E(JsonHtml.Str(x, "detail") ?? "—"), When(r), Data(r)];
            }), empty: "No event was excluded from this line."));
        return b.ToString();
    }

    /// <summary>
    /// Verifies the link, then renders the page. A refused link and a problem while rendering (no such document,
    /// no rule set) answer an HTML page with the status; a refused link never names a tenant or a customer.
    /// </summary>
    private static async Task<IResult> Guarded(string token, HttpContext http, Func<PortalCaller, Task<IResult>> render)
    {
        var keys = http.RequestServices.GetRequiredService<PortalKeys>();
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        var (grant, refusal) = PortalToken.Verify(keys, token, clock.GetUtcNow());
        if (refusal == PortalRefusal.Expired)
            return Result(ErrorPage(Site, "This link has expired",
                $"The link expired on {Time(grant!.ExpiresAt)}. Ask your provider for a new link to your billing portal."), StatusCodes.Status410Gone);
        if (grant is null || refusal is not null)
            return Result(ErrorPage(Site, "This link is not valid", "Check that you copied the whole link, or ask your provider for a new one."),
                StatusCodes.Status404NotFound);
        var caller = new PortalCaller(grant, token, new Caller(grant.Tenant, "portal:" + grant.Customer, http.TraceIdentifier));
        try
        {
            return await render(caller);
        }
        catch (ApiProblemException problem)
        {
            return caller.Page(problem.Title, "", $"<h1>{E(problem.Title)}</h1><p>{E(problem.Detail)}</p>", problem.Status);
        }
    }
}

/// <summary>A verified portal link: its grant, the token (for links between pages) and the API caller its queries use.</summary>
internal sealed record PortalCaller(PortalGrant Grant, string Token, Caller Caller)
{
    public string Tenant => Grant.Tenant;

    public string Customer => Grant.Customer;

    public string Href(string rest) => "/portal/" + Uri.EscapeDataString(Token) + rest;

    public IResult Page(string title, string section, string main, int status = StatusCodes.Status200OK) => Result(Html.Page(title, "Billing portal",
    [
        new NavItem(Href("/"), "Invoices", section == "invoices"),
        new NavItem(Href("/usage"), "Usage", section == "usage"),
        new NavItem(Href("/credits"), "Credits", section == "credits"),
    ], main, $"<p class=\"who\">Account {E(Customer)} · link valid until {E(Time(Grant.ExpiresAt))}</p>"), status);
}
