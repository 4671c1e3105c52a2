using System.Net;
using System.Text.Json.Nodes;
using RulesBilling.Host.Tests.Api;

namespace RulesBilling.Host.Tests.Portal;

/// <summary>The PDF and printable page of issued documents: text extracted with pdftotext and checked against the invoice JSON.</summary>
public sealed class InvoicePdfTests
{
    private static async Task<string> PdfTextAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
        var pdftotext = DebianPackages.Require("pdftotext", "poppler-utils");
        var file = Path.Combine(Path.GetTempPath(), $"rb-invoice-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, bytes);
        try
        {
            return DebianPackages.Run(pdftotext, ["-layout", "-enc", "UTF-8", file, "-"]).Output;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Everything a reader must find in the document, taken from its JSON.</summary>
    private static void AssertMatches(JsonNode invoice, string text)
    {
        var currency = invoice["currency"]!.GetValue<string>();
        Assert.Contains(invoice["number"]!.GetValue<string>(), text, StringComparison.Ordinal);
        Assert.Contains("Customer: " + invoice["customer"]!.GetValue<string>(), text, StringComparison.Ordinal);
        Assert.Contains($"Period: {invoice["period"]!["from"]!.GetValue<string>()[..10]} to {invoice["period"]!["to"]!.GetValue<string>()[..10]}", text, StringComparison.Ordinal);
        Assert.Matches($@"Subtotal\s+{invoice["subtotal"]!.GetValue<string>()}", text);
        Assert.Matches($@"Credits applied\s+{invoice["credits"]!.GetValue<string>()}", text);
        Assert.Matches($@"Total \({currency}\)\s+{invoice["total"]!.GetValue<string>()}", text);
        foreach (var line in invoice["lines"]!.AsArray())
        {
            var amount = line!["amount"]!.GetValue<string>();
            Assert.Matches($@"{line["quantity"]!.GetValue<string>()}\s+{(line["unitPrice"]?.GetValue<string>() ?? "—")}\s+{amount}", text);
            Assert.Contains($"Rule {line["rule"]!.GetValue<string>()} of contract {line["contract"]!.GetValue<string>()} version {line["version"]!.GetValue<int>()}.", text, StringComparison.Ordinal);
            var counted = line["events"]!.AsArray().Count;
            Assert.Contains(counted == 1 ? "1 event counted." : $"{counted} events counted.", text, StringComparison.Ordinal);
            foreach (var reason in line["excluded"]!.AsArray().Select(x => x!["reason"]!.GetValue<string>()).Distinct())
                Assert.Contains(reason, text, StringComparison.Ordinal);
        }
        foreach (var guard in invoice["guards"]!.AsArray())
            Assert.Contains(guard!["guard"]!.GetValue<string>(), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tenant_api_and_the_portal_serve_the_pdf_of_a_finalized_invoice_matching_its_json()
    {
        await using var s = await PortalScenario.StartAsync();
        var invoice = s.Cust1October;
        var id = invoice["id"]!.GetValue<string>();

        var apiText = await PdfTextAsync(await s.Acme.GetAsync($"/v1/invoices/{id}/pdf"));
        AssertMatches(invoice, apiText);
        Assert.Contains("Invoice " + invoice["number"]!.GetValue<string>(), apiText, StringComparison.Ordinal);
        Assert.Contains("duplicate-key (1)", apiText, StringComparison.Ordinal);

        var link = await PortalScenario.LinkAsync(s.Acme, "cust-1");
        using var anonymous = s.Server.Client();
        var portalText = await PdfTextAsync(await anonymous.GetAsync($"{link}invoices/{id}/pdf"));
        Assert.Equal(apiText, portalText);
    }

    [Fact]
    public async Task A_credit_note_has_a_pdf_and_a_held_invoice_has_none()
    {
        await using var s = await PortalScenario.StartAsync();
        // A late event for October makes a corrections run issue an adjustment invoice.
        await s.Acme.PostAsync("/v1/events", EventTests.Batch(EventTests.Event("late-1", "cust-2", "T-LATE", "2026-10-20T10:00:00Z")));
        var corrections = (await ApiServer.ReadJsonAsync(await s.Acme.PostAsync("/v1/customers/cust-2/corrections", null))).AsArray();
        var adjustment = Assert.Single(corrections)!;
        AssertMatches(adjustment, await PdfTextAsync(await s.Acme.GetAsync($"/v1/invoices/{adjustment["id"]!.GetValue<string>()}/pdf")));

        // A reopening inside T-2's 72 h window reverses an outcome October billed: corrections issue a credit note.
        var reopened = """{"specversion":"1.0","id":"r1","source":"agent","type":"ticket.reopened","subject":"cust-1","time":"2026-10-06T12:00:00Z","data":{"ticket":"T-2"}}""";
        Assert.Equal(HttpStatusCode.OK, (await s.Acme.PostAsync("/v1/events", EventTests.Single(reopened))).StatusCode);
        var credit = Assert.Single((await ApiServer.ReadJsonAsync(await s.Acme.PostAsync("/v1/customers/cust-1/corrections", null))).AsArray())!;
        Assert.Equal("credit-note", credit["kind"]!.GetValue<string>());
        var creditText = await PdfTextAsync(await s.Acme.GetAsync($"/v1/invoices/{credit["id"]!.GetValue<string>()}/pdf"));
        AssertMatches(credit, creditText);
        Assert.Contains("Credit note " + credit["number"]!.GetValue<string>(), creditText, StringComparison.Ordinal);

        var voidResponse = await s.Acme.PostAsync($"/v1/invoices/{adjustment["id"]!.GetValue<string>()}/void", null);
        Assert.True(voidResponse.StatusCode == HttpStatusCode.OK, await voidResponse.Content.ReadAsStringAsync());
        var voided = await ApiServer.ReadJsonAsync(voidResponse);
        var voidText = await PdfTextAsync(await s.Acme.GetAsync($"/v1/invoices/{voided["id"]!.GetValue<string>()}/pdf"));
        Assert.Contains("this document is void", voidText, StringComparison.Ordinal);

        var held = s.Cust3Held["id"]!.GetValue<string>();
        await ApiServer.AssertProblemAsync(await s.Acme.GetAsync($"/v1/invoices/{held}/pdf"), 409);
        await ApiServer.AssertProblemAsync(await s.Acme.GetAsync($"/v1/invoices/{held}/print"), 409);
        await ApiServer.AssertProblemAsync(await s.Beta.GetAsync($"/v1/invoices/{s.Cust2October["id"]!.GetValue<string>()}/pdf"), 404);
    }

    [Fact]
    public async Task The_printable_page_shows_the_same_lines_and_totals()
    {
        await using var s = await PortalScenario.StartAsync();
        var invoice = s.Cust1October;
        var response = await s.Acme.GetAsync($"/v1/invoices/{invoice["id"]!.GetValue<string>()}/print");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<h1>Invoice {invoice["number"]!.GetValue<string>()}", page, StringComparison.Ordinal);
        Assert.Contains(invoice["total"]!.GetValue<string>(), page, StringComparison.Ordinal);
        foreach (var line in invoice["lines"]!.AsArray()) Assert.Contains(line!["amount"]!.GetValue<string>(), page, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());

        // Each line's arithmetic is the engine's breakdown, laid out as steps, never re-derived or dumped as raw JSON.
        var text = System.Net.WebUtility.HtmlDecode(page);
        var steps = invoice["lines"]!.AsArray().SelectMany(l => l!["breakdown"]!.AsArray()).ToList();
        Assert.NotEmpty(steps);
        foreach (var step in steps) Assert.Contains(step!["text"]!.GetValue<string>(), text, StringComparison.Ordinal);
        Assert.Contains("How the amount adds up", text, StringComparison.Ordinal);
        Assert.DoesNotContain("More about this charge", text, StringComparison.Ordinal);
    }
}
