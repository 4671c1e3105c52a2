using System.Net;
using System.Net.Http.Json;
using RulesBilling.Engine.Tests.Payments.Fakes;
using RulesBilling.Host.Tests.Api;

namespace RulesBilling.Host.Tests.Payments;

/// <summary>Finalize and void through the API; the server's background worker carries them to the fake providers.</summary>
public sealed class PaymentSyncTests
{
    [Fact]
    public async Task Finalized_USD_and_JPY_invoices_reach_Stripe_once_with_totals_in_minor_units()
    {
        await using var world = await PaymentWorld.StartAsync();

        var usd = await world.FinalizeAsync("cust-1", "stripe");
        var jpy = await world.FinalizeAsync("jp-1", "stripe");
        // The payment view reads the outbox before the payment state, so "sent" can show beside a push still "pending"
        // (the worker marks the push done, then the state sent): wait for both, since both are asserted.
        var usdPayment = await world.WaitForPaymentAsync(usd["id"]!.GetValue<string>(), p => PaymentWorld.InState(p, "sent") && PaymentWorld.SyncStatus(p) == "done");
        var jpyPayment = await world.WaitForPaymentAsync(jpy["id"]!.GetValue<string>(), p => PaymentWorld.InState(p, "sent"));

        Assert.Equal(("4.00", "USD"), (usd["total"]!.GetValue<string>(), usd["currency"]!.GetValue<string>()));
        Assert.Equal(("300", "JPY"), (jpy["total"]!.GetValue<string>(), jpy["currency"]!.GetValue<string>()));
        var remote = world.Stripe.Invoices.OrderBy(i => i.Currency, StringComparer.Ordinal).ToList();
        Assert.Equal([("jpy", 300L, "open"), ("usd", 400L, "open")], remote.Select(i => (i.Currency, i.Total, i.Status)));
        Assert.Equal([usd["id"]!.GetValue<string>()], remote.Where(i => i.Currency == "usd").Select(i => i.Metadata["engine_invoice_id"]));
        Assert.Equal(remote.Single(i => i.Currency == "usd").Id, usdPayment["payment"]!["providerInvoiceId"]!.GetValue<string>());
        Assert.Equal(("done", "stripe"), (PaymentWorld.SyncStatus(usdPayment), usdPayment["sync"]![0]!["provider"]!.GetValue<string>()));
        Assert.Equal("finalized", jpyPayment["status"]!.GetValue<string>());
        Assert.Empty(world.Razorpay.Invoices);
    }

    [Fact]
    public async Task A_finalized_invoice_reaches_Razorpay_issued_with_the_total_in_paise_style_minor_units()
    {
        await using var world = await PaymentWorld.StartAsync();

        var invoice = await world.FinalizeAsync("cust-1", "razorpay");
        var payment = await world.WaitForPaymentAsync(invoice["id"]!.GetValue<string>(), p => PaymentWorld.InState(p, "sent"));

        var remote = Assert.Single(world.Razorpay.Invoices);
        Assert.Equal((400L, "USD", "issued"), (remote["amount"]!.GetValue<long>(), remote["currency"]!.GetValue<string>(), remote["status"]!.GetValue<string>()));
        Assert.Equal(invoice["number"]!.GetValue<string>(), remote["receipt"]!.GetValue<string>());
        Assert.Equal(remote["id"]!.GetValue<string>(), payment["payment"]!["providerInvoiceId"]!.GetValue<string>());
        Assert.Empty(world.Stripe.Invoices);
    }

    [Fact]
    public async Task Voiding_through_the_API_voids_the_invoice_at_the_provider()
    {
        await using var world = await PaymentWorld.StartAsync();
        var invoice = await world.FinalizeAsync("jp-1", "stripe");
        var id = invoice["id"]!.GetValue<string>();
        await world.WaitForPaymentAsync(id, p => PaymentWorld.InState(p, "sent"));

        var voided = await world.Acme.PostAsync($"/v1/invoices/{id}/void", null);
        Assert.Equal(HttpStatusCode.OK, voided.StatusCode);
        // Waits for everything asserted below: the view is not read as one snapshot (see the first test).
        var payment = await world.WaitForPaymentAsync(id, p => PaymentWorld.InState(p, "voided") && PaymentWorld.SyncStatus(p, "void") == "done");

        var remote = Assert.Single(world.Stripe.Invoices);
        Assert.Equal(("void", 300L), (remote.Status, remote.Total));
        Assert.Equal(("void", "done", "done"), (payment["status"]!.GetValue<string>(), PaymentWorld.SyncStatus(payment), PaymentWorld.SyncStatus(payment, "void")));
    }

    [Fact]
    public async Task A_customer_without_provider_sends_nothing()
    {
        await using var world = await PaymentWorld.StartAsync();

        var invoice = await world.FinalizeAsync("cust-1", "none");
        var payment = await world.PaymentAsync(invoice["id"]!.GetValue<string>());

        Assert.Empty(payment["sync"]!.AsArray());
        Assert.Null(payment["payment"]);
        Assert.Equal("none", (await ApiServer.ReadJsonAsync(await world.Acme.GetAsync("/v1/customers/cust-1/payment-provider")))["provider"]!.GetValue<string>());
    }

    [Fact]
    public async Task Retries_exhausted_dead_letter_the_record_which_a_requeue_sends_once()
    {
        await using var world = await PaymentWorld.StartAsync();
        // The worker makes two tries per call (one retry): both fail, so the record is dead-lettered.
        world.Stripe.Faults.Enqueue(Fault.ServerErrorBefore);
        world.Stripe.Faults.Enqueue(Fault.ServerErrorBefore);

        var invoice = await world.FinalizeAsync("cust-1", "stripe");
        var id = invoice["id"]!.GetValue<string>();
        var dead = await world.WaitForPaymentAsync(id, p => PaymentWorld.SyncStatus(p) == "deadLetter");

        var letters = (await ApiServer.ReadJsonAsync(await world.Acme.GetAsync("/v1/payments/dead-letters"))).AsArray();
        var letter = Assert.Single(letters)!;
        var recordId = letter["id"]!.GetValue<string>();
        Assert.Equal((id, "deadLetter"), (letter["invoiceId"]!.GetValue<string>(), letter["status"]!.GetValue<string>()));
        Assert.Contains("500", letter["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(dead["payment"]);
        Assert.Empty(world.Stripe.Invoices);

        var globex = await world.Server.TenantAsync("globex");
        await ApiServer.AssertProblemAsync(await globex.PostAsync($"/v1/payments/outbox/{Uri.EscapeDataString(recordId)}/requeue", null), 404);

        var requeued = await world.Acme.PostAsync($"/v1/payments/outbox/{Uri.EscapeDataString(recordId)}/requeue", null);
        Assert.Equal(HttpStatusCode.OK, requeued.StatusCode);
        await world.WaitForPaymentAsync(id, p => PaymentWorld.InState(p, "sent"));

        Assert.Equal(400L, Assert.Single(world.Stripe.Invoices).Total);
        Assert.Empty((await ApiServer.ReadJsonAsync(await world.Acme.GetAsync("/v1/payments/dead-letters"))).AsArray());
        await ApiServer.AssertProblemAsync(await world.Acme.PostAsync($"/v1/payments/outbox/{Uri.EscapeDataString(recordId)}/requeue", null), 409);
    }

    [Fact]
    public async Task With_the_sync_interval_at_zero_the_server_queues_but_sends_nothing()
    {
        await using var world = await PaymentWorld.StartAsync(o => o with { Payments = o.Payments with { SyncInterval = TimeSpan.Zero } });

        var invoice = await world.FinalizeAsync("cust-1", "stripe");
        var payment = await world.PaymentAsync(invoice["id"]!.GetValue<string>());

        Assert.Equal("pending", PaymentWorld.SyncStatus(payment));
        Assert.Empty(world.Stripe.Invoices);
        Assert.Contains("Payment sync is off", world.Server.Log.ToString(), StringComparison.Ordinal);
    }
}
