using System.Net;
using System.Net.Http.Json;
using RulesBilling.Host.Tests.Api;

namespace RulesBilling.Host.Tests.Portal;

/// <summary>
/// Portal links over the real server: what a link shows, and that a tampered, forged, expired, rotated-out or
/// cross-customer / cross-tenant request is refused without rendering anything of another customer or tenant.
/// </summary>
public sealed class PortalAccessTests
{
    /// <summary>Strings that exist only in data the cust-1 link of acme must never show.</summary>
    private static string[] Foreign(PortalScenario s) =>
    [
        "T-SECRET-2", "cust-2", "cust-3", "T-BETA-ONLY", "beta",
        s.Cust2October["id"]!.GetValue<string>(), s.BetaCust1October["id"]!.GetValue<string>(), s.Cust3Held["id"]!.GetValue<string>(),
    ];

    private static void ShowsNothingOf(string body, params string[] values)
    {
        foreach (var value in values) Assert.DoesNotContain(value, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_shows_the_customers_issued_invoices_only()
    {
        await using var s = await PortalScenario.StartAsync();
        var link = await PortalScenario.LinkAsync(s.Acme, "cust-1");

        var (status, body) = await s.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1>Invoices</h1>", body, StringComparison.Ordinal);
        Assert.Contains(s.Cust1October["number"]!.GetValue<string>(), body, StringComparison.Ordinal);
        Assert.Contains(s.Cust1October["total"]!.GetValue<string>() + " USD", body, StringComparison.Ordinal);
        ShowsNothingOf(body, Foreign(s));
        // The token is a credential: the request log names the page, never the link.
        var token = link.Split('/')[2];
        Assert.DoesNotContain(token, s.Server.Log.ToString(), StringComparison.Ordinal);
        Assert.Contains("/portal/{token}/", s.Server.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_link_answer_names_the_url_token_and_expiry_and_refuses_bad_requests()
    {
        await using var s = await PortalScenario.StartAsync();
        var response = await s.Acme.PostAsJsonAsync("/v1/customers/cust-1/portal-links", new { expiresInMinutes = 60 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var link = await ApiServer.ReadJsonAsync(response);
        Assert.Equal(PortalScenario.Start.AddHours(1), link["expiresAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new Uri(s.Server.Address, link["path"]!.GetValue<string>()), new Uri(link["url"]!.GetValue<string>()));
        Assert.StartsWith(PortalScenario.KeyId + ".", link["token"]!.GetValue<string>(), StringComparison.Ordinal);

        await ApiServer.AssertProblemAsync(await s.Acme.PostAsync("/v1/customers/nobody/portal-links", null), 404);
        await ApiServer.AssertProblemAsync(await s.Acme.PostAsJsonAsync("/v1/customers/cust-1/portal-links", new { expiresInMinutes = 0 }), 400);
        await ApiServer.AssertProblemAsync(await s.Server.Client().PostAsync("/v1/customers/cust-1/portal-links", null), 401);
    }

    [Fact]
    public async Task Without_a_portal_key_no_link_is_made()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        var problem = await ApiServer.AssertProblemAsync(await acme.PostAsync("/v1/customers/cust-1/portal-links", null), 409);
        Assert.Contains("--portal-key", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_or_forged_token_is_refused_and_renders_no_data()
    {
        await using var s = await PortalScenario.StartAsync();
        var link = await PortalScenario.LinkAsync(s.Acme, "cust-1");
        var token = link.Split('/')[2];
        var parts = token.Split('.');
        var invoice = s.Cust1October["id"]!.GetValue<string>();

        // Another customer named in a payload kept with the original signature.
        var otherPayload = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(
            System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("cust-1", "cust-2", StringComparison.Ordinal)));
        // The same claims signed with a secret the server does not hold, under its key id.
        var forged = RulesBilling.Host.Portal.PortalToken.Issue(
            new RulesBilling.Host.Portal.PortalSigningKey(PortalScenario.KeyId, "attacker-secret-0123456789abcdefgh"u8.ToArray()),
            new RulesBilling.Host.Portal.PortalGrant("acme", "cust-1", PortalScenario.Start.AddDays(1)));
        string Flip(string part) => (part[0] == 'A' ? 'B' : 'A') + part[1..];
        var refused = new[]
        {
            $"{parts[0]}.{otherPayload}.{parts[2]}",
            $"{parts[0]}.{Flip(parts[1])}.{parts[2]}",
            $"{parts[0]}.{parts[1]}.{Flip(parts[2])}",
            $"k2.{parts[1]}.{parts[2]}",
            $"{parts[0]}.{parts[1]}",
            forged,
            "garbage",
        };
        foreach (var bad in refused)
        {
            foreach (var path in new[] { $"/portal/{bad}/", $"/portal/{bad}/invoices/{invoice}", $"/portal/{bad}/invoices/{invoice}/pdf", $"/portal/{bad}/usage", $"/portal/{bad}/credits" })
            {
                var (status, body) = await s.GetAsync(path);
                Assert.True(status == HttpStatusCode.NotFound, $"{path}: {status}");
                Assert.Contains("This link is not valid", body, StringComparison.Ordinal);
                ShowsNothingOf(body, "cust-1", "cust-2", "acme", "T-1", invoice, s.Cust1October["total"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task An_expired_link_is_refused_and_renders_no_data()
    {
        await using var s = await PortalScenario.StartAsync();
        var link = await PortalScenario.LinkAsync(s.Acme, "cust-1", minutes: 30);
        Assert.Equal(HttpStatusCode.OK, (await s.GetAsync(link)).Status);

        s.Clock.Now = PortalScenario.Start.AddMinutes(30);
        var invoice = s.Cust1October["id"]!.GetValue<string>();
        foreach (var path in new[] { link, $"{link}invoices/{invoice}", $"{link}invoices/{invoice}/pdf", $"{link}usage" })
        {
            var (status, body) = await s.GetAsync(path);
            Assert.Equal(HttpStatusCode.Gone, status);
            Assert.Contains("This link has expired", body, StringComparison.Ordinal);
            ShowsNothingOf(body, "cust-1", "acme", invoice, s.Cust1October["number"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Another_customers_or_tenants_documents_are_not_found_through_a_link()
    {
        await using var s = await PortalScenario.StartAsync();
        var link = await PortalScenario.LinkAsync(s.Acme, "cust-1");
        var cust2 = s.Cust2October["id"]!.GetValue<string>();
        var cust2Line = s.Cust2October["lines"]![0]!["id"]!.GetValue<string>();
        var beta = s.BetaCust1October["id"]!.GetValue<string>();
        var held = s.Cust3Held["id"]!.GetValue<string>();
        var paths = new[]
        {
            $"{link}invoices/{cust2}", $"{link}invoices/{s.Cust2October["number"]!.GetValue<string>()}", $"{link}invoices/{cust2}/lines/{cust2Line}",
            $"{link}invoices/{cust2}/pdf", $"{link}invoices/{cust2}/print",
            $"{link}invoices/{beta}", $"{link}invoices/{beta}/pdf", $"{link}invoices/{held}",
            $"{link}outcomes/resolved/T-SECRET-2",
        };
        foreach (var path in paths)
        {
            var (status, body) = await s.GetAsync(path);
            Assert.True(status == HttpStatusCode.NotFound, $"{path}: {status}");
            // The page may repeat what the request itself named; nothing else of another customer or tenant.
            ShowsNothingOf(body, Foreign(s).Concat(["T-BETA-ONLY", "T-31"]).Where(f => !path.Contains(f, StringComparison.Ordinal)).ToArray());
            Assert.DoesNotContain("agent/e4", body, StringComparison.Ordinal);
        }

        // beta's own cust-1 link sees beta's invoice only, never acme's cust-1.
        var betaLink = await PortalScenario.LinkAsync(s.Beta, "cust-1");
        var (ok, betaBody) = await s.GetAsync(betaLink);
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Contains(s.BetaCust1October["total"]!.GetValue<string>() + " USD", betaBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetAsync($"{betaLink}invoices/{s.Cust1October["id"]!.GetValue<string>()}")).Status);
        var (_, betaUsage) = await s.GetAsync($"{betaLink}usage");
        ShowsNothingOf(betaUsage, "T-10", "T-11", "T-12");
    }

    [Fact]
    public async Task Rotation_keeps_links_of_a_retained_key_and_ends_those_of_a_dropped_one()
    {
        string oldLink;
        await using (var s = await PortalScenario.StartAsync())
        {
            oldLink = await PortalScenario.LinkAsync(s.Acme, "cust-1");
        }
        // New key first (signs), old key kept (verifies): the old link works and new links name the new key.
        await using (var rotated = await PortalScenario.StartAsync("k2:second-secret-0123456789abcdefghij", $"{PortalScenario.KeyId}:{PortalScenario.Secret}"))
        {
            Assert.Equal(HttpStatusCode.OK, (await rotated.GetAsync(oldLink)).Status);
            Assert.StartsWith("/portal/k2.", await PortalScenario.LinkAsync(rotated.Acme, "cust-1"), StringComparison.Ordinal);
        }
        await using (var dropped = await PortalScenario.StartAsync("k2:second-secret-0123456789abcdefghij"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await dropped.GetAsync(oldLink)).Status);
        }
    }

    [Fact]
    public async Task The_invoice_page_explains_every_line_and_the_drill_down_lists_counted_and_excluded_events()
    {
        await using var s = await PortalScenario.StartAsync();
        var link = await PortalScenario.LinkAsync(s.Acme, "cust-1");
        var invoice = s.Cust1October;
        var id = invoice["id"]!.GetValue<string>();

        var (status, page) = await s.GetAsync($"{link}invoices/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var line in invoice["lines"]!.AsArray())
        {
            Assert.Contains($"id=\"line-{line!["id"]!.GetValue<string>()}\"", page, StringComparison.Ordinal);
            Assert.Contains(line["amount"]!.GetValue<string>(), page, StringComparison.Ordinal);
        }
        Assert.Contains("big_spend", page, StringComparison.Ordinal);
        Assert.Contains("passed", page, StringComparison.Ordinal);

        var charge = invoice["lines"]!.AsArray().Single(l => l!["rule"]!.GetValue<string>() == "resolved")!;
        var (drillStatus, drill) = await s.GetAsync($"{link}invoices/{id}/lines/{charge["id"]!.GetValue<string>()}");
        Assert.Equal(HttpStatusCode.OK, drillStatus);
        Assert.Contains("Counted (2)", drill, StringComparison.Ordinal);
        Assert.Contains("agent/e1", drill, StringComparison.Ordinal);
        Assert.Contains("agent/e2", drill, StringComparison.Ordinal);
        Assert.Contains("Excluded (1)", drill, StringComparison.Ordinal);
        Assert.Contains("agent/e3", drill, StringComparison.Ordinal);
        Assert.Contains("duplicate-key", drill, StringComparison.Ordinal);
        Assert.Contains($"{link}outcomes/resolved/T-1", drill, StringComparison.Ordinal);

        var (outcomeStatus, outcome) = await s.GetAsync($"{link}outcomes/resolved/T-1");
        Assert.Equal(HttpStatusCode.OK, outcomeStatus);
        Assert.Contains("counted", outcome, StringComparison.Ordinal);
        Assert.Contains("duplicate", outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_and_credits_pages_show_the_period_the_limit_chart_and_the_ledger()
    {
        await using var s = await PortalScenario.StartAsync();
        var link = await PortalScenario.LinkAsync(s.Acme, "cust-1");

        var (status, usage) = await s.GetAsync($"{link}usage");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("2026-11-01 to 2026-12-01", usage, StringComparison.Ordinal);
        Assert.Contains("2 (2)", usage, StringComparison.Ordinal); // billable
        Assert.Contains("1 (1)", usage, StringComparison.Ordinal); // pending (T-12 inside its 72 h window)
        Assert.Contains("<svg", usage, StringComparison.Ordinal);
        Assert.Contains("class=\"limit\"", usage, StringComparison.Ordinal);
        Assert.Contains("limit 5", usage, StringComparison.Ordinal);
        Assert.Contains("role=\"img\"", usage, StringComparison.Ordinal);
        // The limit chart's data: nothing used on 1 November, 3 (T-10, T-11 and the pending T-12) by the 10th, as "used" says.
        var limitChart = usage[usage.IndexOf("resolutions against its limit", StringComparison.Ordinal)..];
        Assert.Contains("<th scope=\"row\">2026-11-01</th><td class=\"num\">0</td>", limitChart, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">2026-11-02</th><td class=\"num\">1</td>", limitChart, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">2026-11-10</th><td class=\"num\">3</td>", limitChart, StringComparison.Ordinal);

        var (creditsStatus, credits) = await s.GetAsync($"{link}credits");
        Assert.Equal(HttpStatusCode.OK, creditsStatus);
        Assert.Contains("Welcome credit", credits, StringComparison.Ordinal);
        var ledger = await ApiServer.ReadJsonAsync(await s.Acme.GetAsync("/v1/customers/cust-1/credits"));
        foreach (var entry in ledger["entries"]!.AsArray()) Assert.Contains(entry!["id"]!.GetValue<string>(), credits, StringComparison.Ordinal);
    }
}
