using System.Net;
using System.Net.Http.Json;
using RulesBilling.Host.Api;
using RulesBilling.Host.Tests.Api;

namespace RulesBilling.Host.Tests.Notifications;

/// <summary>
/// Corrections are announced through a real receiver on 127.0.0.1: a credit note as credit_note.created (and
/// credit_note.voided, with the void reason), an adjustment as invoice.finalized with kind "adjustment".
/// </summary>
public sealed class CorrectionNotificationTests
{
    private static ServeOptions AllowPrivate(ServeOptions o) => o with { AllowPrivateWebhooks = true };

    private static string Reopened(string id, string ticket, string time) =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"agent","type":"ticket.reopened","subject":"cust-1","time":"{{{time}}}","data":{"ticket":"{{{ticket}}}"}}""";

    [Fact]
    public async Task Credit_notes_and_adjustments_are_announced_when_issued_and_voided()
    {
        using var receiver = new HookReceiver();
        await using var server = await ApiServer.StartAsync(AllowPrivate, TestRules.WithHold);
        var acme = await server.TenantAsync("acme");
        var created = await acme.PostAsJsonAsync("/v1/webhooks", new
        {
            url = receiver.Url("hooks/"),
            events = new[] { "invoice.finalized", "invoice.voided", "credit_note.created", "credit_note.voided" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await acme.PostAsync("/v1/events", EventTests.Batch(
            EventTests.Event("e1", ticket: "T-1", time: "2026-10-05T10:00:00Z"),
            EventTests.Event("e2", ticket: "T-2", time: "2026-10-10T10:00:00Z")));
        var invoice = await ApiServer.ReadJsonAsync(await acme.PostAsJsonAsync("/v1/customers/cust-1/invoices/finalize", new { periodFrom = "2026-10-01T00:00:00Z" }));
        var invoiceId = invoice["id"]!.GetValue<string>();

        // A late reversal: the correction is a credit note.
        await acme.PostAsync("/v1/events", EventTests.Single(Reopened("r1", "T-1", "2026-10-06T09:00:00Z")));
        var note = Assert.Single((await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/customers/cust-1/corrections", null))).AsArray())!;
        var noteId = note["id"]!.GetValue<string>();
        var received = await receiver.WaitForAsync(r => r.Any(x => x.Type == "credit_note.created"));
        var noteHook = received.Single(r => r.Type == "credit_note.created").Json["data"]!;
        Assert.Equal((noteId, "credit-note", invoiceId, "-2.00"),
            (noteHook["invoiceId"]!.GetValue<string>(), noteHook["kind"]!.GetValue<string>(), noteHook["corrects"]!.GetValue<string>(), noteHook["total"]!.GetValue<string>()));

        // A late billable outcome: the correction is an adjustment invoice, announced as an invoice.
        await acme.PostAsync("/v1/events", EventTests.Batch(EventTests.Event("e3", ticket: "T-3", time: "2026-10-12T10:00:00Z")));
        var adjustment = Assert.Single((await ApiServer.ReadJsonAsync(await acme.PostAsync("/v1/customers/cust-1/corrections", null))).AsArray())!;
        Assert.Equal("adjustment", adjustment["kind"]!.GetValue<string>());
        received = await receiver.WaitForAsync(r => r.Count(x => x.Type == "invoice.finalized") >= 2);
        var adjustmentHook = received.Where(r => r.Type == "invoice.finalized").Select(r => r.Json["data"]!)
            .Single(d => d["kind"]!.GetValue<string>() == "adjustment");
        Assert.Equal((adjustment["id"]!.GetValue<string>(), invoiceId, "2.00"),
            (adjustmentHook["invoiceId"]!.GetValue<string>(), adjustmentHook["corrects"]!.GetValue<string>(), adjustmentHook["total"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.OK, (await acme.PostAsJsonAsync($"/v1/invoices/{noteId}/void", new { reason = "issued by mistake" })).StatusCode);
        received = await receiver.WaitForAsync(r => r.Any(x => x.Type == "credit_note.voided"));
        var voided = received.Single(r => r.Type == "credit_note.voided").Json["data"]!;
        Assert.Equal((noteId, "issued by mistake"), (voided["invoiceId"]!.GetValue<string>(), voided["voidReason"]!.GetValue<string>()));
        // Each fact once: the original's finalization, the note, the adjustment, the note's void.
        Assert.Equal(["credit_note.created", "credit_note.voided", "invoice.finalized", "invoice.finalized"],
            (await receiver.WaitForAsync(r => r.Count >= 4)).Select(r => r.Type).Order(StringComparer.Ordinal));
    }
}
