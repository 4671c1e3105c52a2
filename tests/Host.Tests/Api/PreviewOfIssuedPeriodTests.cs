using System.Net;
using System.Net.Http.Json;

namespace RulesBilling.Host.Tests.Api;

/// <summary>A preview of a period that is already invoiced says so: the issued invoice, and the correction it now needs.</summary>
public sealed class PreviewOfIssuedPeriodTests
{
    private const string October = "/v1/customers/cust-1/invoices/preview?at=2026-10-15T00:00:00Z";

    [Fact]
    public async Task Preview_of_a_finalized_period_names_the_invoice_and_the_pending_credit_note_until_it_is_issued()
    {
        await using var server = await ApiServer.StartAsync();
        var acme = await server.TenantAsync("acme");
        Assert.Equal(HttpStatusCode.Created, (await acme.PostAsJsonAsync("/v1/rulesets", TestRules.Upload(TestRules.WithHold))).StatusCode);
        await acme.PostAsync("/v1/events", EventTests.Batch(
            EventTests.Event("e1", ticket: "T-1", time: "2026-10-05T10:00:00Z"),
            EventTests.Event("e2", ticket: "T-2", time: "2026-10-10T10:00:00Z")));
        var draft = (await ApiServer.ReadJsonAsync(await acme.GetAsync(October))).AsObject();
        Assert.True(draft.ContainsKey("issued") && draft["issued"] is null, "an open period has \"issued\": null");

        var invoice = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" }));
        var invoiceId = invoice["id"]!.GetValue<string>();

        var standing = (await ApiServer.ReadJsonAsync(await acme.GetAsync(October)))["issued"]!;
        Assert.Equal((invoiceId, "INV-000001", "finalized", "4.00", false),
            (standing["id"]!.GetValue<string>(), standing["number"]!.GetValue<string>(), standing["status"]!.GetValue<string>(),
             standing["total"]!.GetValue<string>(), standing["correctionPending"]!.GetValue<bool>()));
        Assert.Empty(standing["pendingCorrections"]!.AsArray());
        Assert.Equal("this period is already invoiced as INV-000001 (4.00 USD); the draft is a re-rating with the current events: the invoice stands, no correction is pending",
            standing["message"]!.GetValue<string>());

        // A late reversal of T-1: the finalized invoice now overbills by 2.00.
        var reopened = """{"specversion":"1.0","id":"r1","source":"agent","type":"ticket.reopened","subject":"cust-1","time":"2026-10-06T09:00:00Z","data":{"ticket":"T-1"}}""";
        await acme.PostAsync("/v1/events", EventTests.Single(reopened));

        var preview = await ApiServer.ReadJsonAsync(await acme.GetAsync(October));
        Assert.Equal("2.00", preview["invoices"]![0]!["total"]!.GetValue<string>());
        var pending = preview["issued"]!;
        Assert.True(pending["correctionPending"]!.GetValue<bool>());
        var note = Assert.Single(pending["pendingCorrections"]!.AsArray())!;
        Assert.Equal(("credit-note", "-2.00"), (note["kind"]!.GetValue<string>(), note["total"]!.GetValue<string>()));
        Assert.Equal("this period is already invoiced as INV-000001 (4.00 USD); the draft is a re-rating with the current events: "
            + "a credit note of -2.00 USD would be pending; POST /v1/customers/cust-1/corrections issues it", pending["message"]!.GetValue<string>());

        var issued = Assert.Single((await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/customers/cust-1/corrections", null))).AsArray())!;
        var after = (await ApiServer.ReadJsonAsync(await acme.GetAsync(October)))["issued"]!;
        Assert.Equal([issued["number"]!.GetValue<string>()], after["corrections"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.False(after["correctionPending"]!.GetValue<bool>());
    }
}
