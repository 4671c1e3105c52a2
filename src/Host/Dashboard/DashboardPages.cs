using System.Text;
using Mediator;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Features.Events;
using RulesBilling.Host.Api.Features.Guards;
using RulesBilling.Host.Api.Features.Invoices;
using RulesBilling.Host.Api.Features.Webhooks;
using RulesBilling.Host.Api.Infrastructure;
using RulesBilling.Host.Payments;
using static RulesBilling.Host.Portal.Html;
using RulesBilling.Host.Portal;

namespace RulesBilling.Host.Dashboard;

/// <summary>
/// The operator dashboard under <c>/dashboard</c> for one tenant key: held invoices with their guard results and a
/// release action, guard alerts, rejected events with replay, payment sync dead letters with requeue, webhook
/// deliveries. Every read and action goes through the same queries and commands as the API (audited as the key).
/// </summary>
internal static class DashboardPages
{
    private const string Site = "RulesBilling operator dashboard";

    public static void MapDashboardPages(this IEndpointRouteBuilder app, FailedKeyLimiter failedKeys)
    {
        var group = app.MapGroup("/dashboard").ExcludeFromDescription();

        group.MapGet("/login", () => DashboardResult(LoginPage(null)));

        group.MapPost("/login", async (HttpContext http, DashboardSessions sessions, ITenantStore tenants) =>
        {
            if (!DashboardSessions.SameOrigin(http.Request)) return DashboardResult(LoginPage("The sign-in came from another site and was refused."), StatusCodes.Status403Forbidden);
            var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            if (!failedKeys.Allows(address))
                return DashboardResult(LoginPage($"Too many wrong keys from this address; retry in {failedKeys.Window.TotalSeconds:0} s."), StatusCodes.Status429TooManyRequests);
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : null;
            var presented = form?["key"].ToString().Trim() ?? "";
            var key = presented.Length == 0 ? null : tenants.FindApiKey(ApiKeys.Hash(presented));
            if (key is null)
            {
                if (presented.Length > 0) failedKeys.Fail(address);
                return DashboardResult(LoginPage("That key is not a valid tenant API key."), StatusCodes.Status401Unauthorized);
            }
            var cookie = sessions.Issue(key, out var session);
            http.Response.Cookies.Append(DashboardSessions.Cookie, cookie, DashboardSessions.Options(http.Request));
            return Results.Redirect("/dashboard");
        });

        group.MapPost("/logout", (HttpContext http, CancellationToken ct) => Action(http, async (_, _) =>
        {
            http.Response.Cookies.Delete(DashboardSessions.Cookie, DashboardSessions.Options(http.Request));
            await Task.CompletedTask;
            return Results.Redirect("/dashboard/login");
        }));

        group.MapGet("/", async (HttpContext http, DashboardSessions sessions, ITenantStore tenants, ISender sender, CancellationToken ct) =>
        {
            if (sessions.Read(http.Request, tenants) is not { } session) return Results.Redirect("/dashboard/login");
            return DashboardResult(await Overview(session, sessions, sender, Notice(http.Request), null, http.TraceIdentifier, ct));
        });

        group.MapPost("/invoices/{invoice}/release", (string invoice, HttpContext http) => Action(http, async (caller, sender) =>
        {
            var released = await sender.Send(new ReleaseInvoice(caller, invoice), http.RequestAborted);
            return Done("released", released.Number ?? released.Id);
        }));

        group.MapPost("/events/replay", (HttpContext http, CancellationToken ct) => Action(http, async (caller, sender) =>
        {
            var result = await sender.Send(new ReplayRejectedEvents(caller), http.RequestAborted);
            return Done("replayed", $"{result.Accepted} accepted, {result.Duplicates} duplicates, {result.Rejected} still rejected");
        }));

        group.MapPost("/outbox/{id}/requeue", (string id, HttpContext http) => Action(http, async (caller, sender) =>
        {
            var record = await sender.Send(new RequeueOutboxRecord(caller, id), http.RequestAborted);
            return Done("requeued", record.Id);
        }));
    }

    /// <summary>
    /// Dashboard pages send the referrer to this origin only: form posts then carry our Origin, which actions check
    /// (under no-referrer, browsers send "Origin: null" and a same-site post could not be told from a foreign one).
    /// </summary>
    private static IResult DashboardResult(string html, int status = StatusCodes.Status200OK) => Html.Result(html, status, "same-origin");

    private static IResult Done(string what, string subject) =>
        Results.Redirect($"/dashboard?done={Uri.EscapeDataString(what)}&subject={Uri.EscapeDataString(subject)}");

    private static string? Notice(HttpRequest request)
    {
        var subject = request.Query["subject"].ToString();
        return request.Query["done"].ToString() switch
        {
            "released" => $"Invoice {subject} was released; finalizing its period now issues it.",
            "replayed" => $"Rejected events replayed: {subject}.",
            "requeued" => $"Outbox record {subject} was put back in the queue.",
            _ => null,
        };
    }

    /// <summary>
    /// Runs an action for a signed-in operator after the CSRF checks (session-bound token in the form, same Origin);
    /// a refused action or a failed command renders the dashboard with the reason.
    /// </summary>
    private static async Task<IResult> Action(HttpContext http, Func<Caller, ISender, Task<IResult>> act)
    {
        var sessions = http.RequestServices.GetRequiredService<DashboardSessions>();
        var sender = http.RequestServices.GetRequiredService<ISender>();
        if (sessions.Read(http.Request, http.RequestServices.GetRequiredService<ITenantStore>()) is not { } session)
            return DashboardResult(LoginPage("Your session has ended; sign in again."), StatusCodes.Status401Unauthorized);
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : null;
        if (!DashboardSessions.SameOrigin(http.Request) || !sessions.ValidCsrf(session, form?["csrf"].ToString()))
            return DashboardResult(await Overview(session, sessions, sender, null, "The action was refused: its form did not come from this dashboard (CSRF check).",
                http.TraceIdentifier, http.RequestAborted), StatusCodes.Status403Forbidden);
        var caller = new Caller(session.Tenant, session.Actor, http.TraceIdentifier);
        try
        {
            return await act(caller, sender);
        }
        catch (ApiProblemException problem)
        {
            return DashboardResult(await Overview(session, sessions, sender, null, problem.Detail, http.TraceIdentifier, http.RequestAborted), problem.Status);
        }
    }

    private static string LoginPage(string? error)
    {
        var b = new StringBuilder("<h1>Sign in</h1>");
        if (error is not null) b.Append("<p class=\"error\" role=\"alert\">").Append(E(error)).Append("</p>");
        b.Append("<form method=\"post\" action=\"/dashboard/login\">")
         .Append("<label for=\"key\">Tenant API key</label>")
         .Append("<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\" required aria-describedby=\"key-help\">")
         .Append("<p id=\"key-help\" class=\"muted\">The key is checked once; the browser keeps a signed session, never the key.</p>")
         .Append("<p><button type=\"submit\">Sign in</button></p></form>");
        return Page("Sign in", Site, [], b.ToString());
    }

    private static async Task<string> Overview(DashboardSession session, DashboardSessions sessions, ISender sender, string? notice, string? error,
        string correlation, CancellationToken ct)
    {
        var caller = new Caller(session.Tenant, session.Actor, correlation);
        var csrf = $"<input type=\"hidden\" name=\"csrf\" value=\"{E(sessions.CsrfToken(session))}\">";
        var held = await sender.Send(new ListHeldInvoices(caller), ct);
        var alerts = await sender.Send(new ListAlerts(caller), ct);
        var rejected = await sender.Send(new ListRejectedEvents(caller), ct);
        var dead = await sender.Send(new ListDeadLetters(caller), ct);
        var deliveries = await sender.Send(new ListDeliveries(caller, null), ct);

        var b = new StringBuilder($"<h1>Tenant {E(session.Tenant)}</h1>");
        if (notice is not null) b.Append("<p class=\"notice\" role=\"status\">").Append(E(notice)).Append("</p>");
        if (error is not null) b.Append("<p class=\"error\" role=\"alert\">").Append(E(error)).Append("</p>");
        b.Append("<ul class=\"actions\">")
         .Append($"<li><a href=\"#held\">Held invoices ({held.Count})</a></li><li><a href=\"#alerts\">Guard alerts ({alerts.Count})</a></li>")
         .Append($"<li><a href=\"#rejected\">Rejected events ({rejected.Count})</a></li><li><a href=\"#dead-letters\">Payment dead letters ({dead.Count})</a></li>")
         .Append($"<li><a href=\"#deliveries\">Webhook deliveries ({deliveries.Count})</a></li></ul>");

        b.Append("<section aria-labelledby=\"held\"><h2 id=\"held\">Held invoices</h2>");
        if (held.Count == 0) b.Append("<p class=\"empty\">No invoice is held by a guard.</p>");
        foreach (var invoice in held)
        {
            var name = invoice.Number ?? invoice.Id;
            b.Append("<div class=\"line\"><h3>").Append(E(name)).Append(" · ").Append(E(invoice.Customer)).Append(" · ")
             .Append(E($"{Date(invoice.PeriodFrom)} to {Date(invoice.PeriodTo)}")).Append(" · ")
             .Append(E(CurrencyMath.Format(invoice.Total, invoice.Currency) + " " + invoice.Currency)).Append("</h3>");
            b.Append(Table($"Guard results of {name}", ["Guard", "Condition", "Action", "Result", "Detail"],
                invoice.Guards.Select(g => (IReadOnlyList<string>)
                [
                    E(g.Guard), $"<code>{E(g.Condition)}</code>", E(g.Action),
                    g.Triggered ? "<span class=\"badge bad\">triggered</span>" : "<span class=\"badge ok\">passed</span>", E(g.Detail),
                ])));
            b.Append($"<form method=\"post\" action=\"/dashboard/invoices/{E(Seg(invoice.Id))}/release\">{csrf}")
             .Append($"<button type=\"submit\" aria-label=\"Release invoice {E(name)} of {E(invoice.Customer)}\">Release</button></form></div>");
        }
        b.Append("</section>");

        b.Append("<section aria-labelledby=\"alerts\"><h2 id=\"alerts\">Guard alerts</h2>");
        b.Append(Table("Triggered guards on stored invoices", ["Invoice", "Customer", "Period", "Guard", "Action", "Detail"],
            alerts.Select(a => (IReadOnlyList<string>)
                [E(a.Number ?? a.InvoiceId), E(a.Customer), E($"{Date(a.PeriodFrom)} to {Date(a.PeriodTo)}"), E(a.Guard), E(a.Action), E(a.Detail)]),
            empty: "No guard has triggered."));
        b.Append("</section>");

        b.Append("<section aria-labelledby=\"rejected\"><h2 id=\"rejected\">Rejected events</h2>");
        if (rejected.Count > 0)
        {
            b.Append($"<form method=\"post\" action=\"/dashboard/events/replay\">{csrf}<button type=\"submit\">Replay all rejected events</button>")
             .Append("<span class=\"muted\"> against the rule set in force; those that pass are ingested, dedup still applies.</span></form>");
        }
        b.Append(Table("Rejected events, oldest first", ["Event", "Type", "Reason", "Rejected", "Attempts"],
            rejected.Select(r => (IReadOnlyList<string>)
                [E($"{r.Source}/{r.Id}"), E(r.Type ?? "—"), E(r.Reason), E(r.RejectedAt), E(r.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
            empty: "No event is rejected."));
        b.Append("</section>");

        b.Append("<section aria-labelledby=\"dead-letters\"><h2 id=\"dead-letters\">Payment sync dead letters</h2>");
        b.Append(Table("Outbox records that stopped", ["Record", "Invoice", "Provider", "Status", "Step", "Attempts", "Last error", "Action"],
            dead.Select(d => (IReadOnlyList<string>)
            [
                E(d.Id), E(d.InvoiceId), E(d.Provider), E(d.Status.ToString()), E(d.Step), E(d.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                E(d.LastError ?? "—"),
                $"<form method=\"post\" action=\"/dashboard/outbox/{E(Seg(d.Id))}/requeue\">{csrf}<button type=\"submit\" aria-label=\"Requeue {E(d.Id)}\">Requeue</button></form>",
            ]), empty: "No payment sync has stopped."));
        b.Append("</section>");

        b.Append("<section aria-labelledby=\"deliveries\"><h2 id=\"deliveries\">Webhook deliveries</h2>");
        b.Append(Table("Deliveries with their latest attempt", ["Delivery", "Type", "URL", "Status", "Attempts", "Latest attempt"],
            deliveries.OrderByDescending(d => d.CreatedAt).Select(d => (IReadOnlyList<string>)
            [
                E(d.Id), E(d.Type), E(d.Url), $"<span class=\"badge {E(d.Status.ToString().ToLowerInvariant())}\">{E(d.Status.ToString().ToLowerInvariant())}</span>",
                E(d.Attempts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                E(d.Attempts.Count == 0 ? "—" : d.Attempts[^1] is var a ? $"{Time(a.At)}: {(a.StatusCode is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : a.Error)}" : ""),
            ]), empty: "No webhook delivery yet."));
        b.Append("</section>");

        var signOut = $"<form method=\"post\" action=\"/dashboard/logout\">{csrf}<button type=\"submit\" class=\"secondary\">Sign out</button></form>";
        return Page($"Tenant {session.Tenant}", Site, [new NavItem("/dashboard", "Overview", true)], b.ToString(),
            $"<p class=\"who\">Signed in with key {E(session.Actor)}…</p>{signOut}");
    }
}
