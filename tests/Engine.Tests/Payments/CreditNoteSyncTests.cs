using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Tests.Payments.Fakes;

namespace RulesBilling.Engine.Tests.Payments;

/// <summary>
/// Corrections at the providers: a credit note becomes a Stripe credit note on the original's Stripe invoice (or a
/// Razorpay refund of the original's payment), an adjustment becomes an invoice of its own; each exactly once,
/// through the outbox, whatever the provider or the process does in between.
/// </summary>
public sealed class CreditNoteSyncTests
{
    /// <summary>Pushes the original (and pays it at Razorpay, whose credit is a refund), then finalizes a 20.00 credit note.</summary>
    private static async Task<(Invoice Original, Invoice CreditNote)> CreditedAsync(PaymentHarness harness, PaymentProvider provider, bool liteDb = false)
    {
        harness.UseProvider("acme", provider, email: "billing@acme.example", contact: "+919876543210");
        var original = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m, 12.34m]));
        Assert.Equal(SyncStatus.Done, Assert.Single((await harness.Worker().RunOnceAsync()).Processed).Status);
        if (provider == PaymentProvider.Razorpay) harness.Razorpay.Pay(harness.Push(original).ProviderInvoiceId!);
        var note = harness.Finalize(PaymentHarness.Correction(original, InvoiceKind.CreditNote, 2, 1, -20m));
        return (original, note);
    }

    /// <summary>Stripe credit notes or Razorpay refunds made for our credit note, as (id, amount in minor units).</summary>
    private static IReadOnlyList<(string Id, long Amount)> Credits(PaymentHarness harness, PaymentProvider provider, Invoice note) => provider == PaymentProvider.Stripe
        ? harness.Stripe.CreditNotes.Where(c => c.Metadata.GetValueOrDefault("engine_invoice_id") == note.Id && c.Status == "issued")
            .Select(c => (c.Id, c.Total)).ToList()
        : harness.Razorpay.Refunds.Where(r => r["notes"]?["engine_invoice_id"]?.GetValue<string>() == note.Id)
            .Select(r => (r["id"]!.GetValue<string>(), r["amount"]!.GetValue<long>())).ToList();

    [Theory]
    [InlineData(PaymentProvider.Stripe)]
    [InlineData(PaymentProvider.Razorpay)]
    public async Task A_credit_note_reaches_the_provider_once(PaymentProvider provider)
    {
        using var harness = new PaymentHarness();
        var (original, note) = await CreditedAsync(harness, provider);

        var result = await harness.Worker().RunOnceAsync();
        var again = await harness.Worker().RunOnceAsync();

        var record = Assert.Single(result.Processed);
        Assert.Equal((note.Id, SyncStatus.Done, null), (record.InvoiceId, record.Status, record.LastError));
        Assert.Empty(again.Processed);
        var credit = Assert.Single(Credits(harness, provider, note));
        Assert.Equal((record.ProviderInvoiceId, 2000L), (credit.Id, credit.Amount));
        if (provider == PaymentProvider.Stripe)
        {
            // An open invoice: the credit lowers what is left to pay (a pre-payment credit note), nothing is refunded.
            var remote = harness.Stripe.Invoices.Single(i => i.Id == harness.Push(original).ProviderInvoiceId);
            Assert.Equal((11234L, 9234L), (remote.Total, remote.AmountRemaining));
            Assert.Equal((2000L, 0L), (harness.Stripe.CreditNotes.Single().PrePayment, harness.Stripe.CreditNotes.Single().Refunded));
        }
        Assert.Equal(PaymentState.Sent, harness.Payments.FindPaymentState(PaymentHarness.Tenant, note.Id)!.State);
    }

    [Fact]
    public async Task A_credit_note_on_a_paid_Stripe_invoice_refunds_the_credit()
    {
        using var harness = new PaymentHarness();
        var (original, note) = await CreditedAsync(harness, PaymentProvider.Stripe);
        harness.Stripe.MarkPaid(harness.Push(original).ProviderInvoiceId!);

        Assert.Equal(SyncStatus.Done, Assert.Single((await harness.Worker().RunOnceAsync()).Processed).Status);

        var credit = Assert.Single(harness.Stripe.CreditNotes);
        Assert.Equal((2000L, 0L, 2000L, 2000L), (credit.Total, credit.PrePayment, credit.PostPayment, credit.Refunded));
        Assert.Equal(note.Id, credit.Metadata["engine_invoice_id"]);
    }

    public static TheoryData<PaymentProvider, Fault> ProviderFaults()
    {
        var data = new TheoryData<PaymentProvider, Fault>();
        foreach (var provider in new[] { PaymentProvider.Stripe, PaymentProvider.Razorpay })
        {
            foreach (var fault in Enum.GetValues<Fault>().Where(f => f != Fault.None)) data.Add(provider, fault);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ProviderFaults))]
    public async Task A_credit_note_whose_every_call_fails_once_is_credited_exactly_once(PaymentProvider provider, Fault fault)
    {
        using var harness = new PaymentHarness(requestTimeout: TimeSpan.FromMilliseconds(400));
        var (_, note) = await CreditedAsync(harness, provider);
        var fake = harness.Fake(provider);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        fake.FaultFilter = r => failed.Add(r.Method + r.Path + r.Query + r.Body);
        for (var i = 0; i < 20; i++) fake.Faults.Enqueue(fault);

        var record = Assert.Single((await harness.Worker().RunOnceAsync()).Processed);

        Assert.Equal((SyncStatus.Done, null), (record.Status, record.LastError));
        Assert.Equal(2000L, Assert.Single(Credits(harness, provider, note)).Amount);
        Assert.True(record.Attempts > 1);
    }

    /// <summary>The process dies right after the provider made the credit, before our checkpoint; a restart resumes.</summary>
    [Theory]
    [InlineData(PaymentProvider.Stripe)]
    [InlineData(PaymentProvider.Razorpay)]
    public async Task A_restart_after_the_credit_was_made_does_not_credit_twice(PaymentProvider provider)
    {
        using var harness = new PaymentHarness(liteDb: true);
        var (_, note) = await CreditedAsync(harness, provider);
        using var crash = new CancellationTokenSource();
        harness.Fake(provider).AfterCommit = r =>
        {
            if (r.Method != "POST" || !(r.Path.Contains("credit_notes", StringComparison.Ordinal) || r.Path.EndsWith("/refund", StringComparison.Ordinal))) return false;
            crash.Cancel();
            return true;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Worker().RunOnceAsync(crash.Token));
        harness.Fake(provider).AfterCommit = null;
        harness.Restart();
        if (provider == PaymentProvider.Stripe) harness.Stripe.ForgetIdempotencyKeys();
        var resumed = await harness.Worker().RunOnceAsync();

        Assert.Equal(SyncStatus.Done, Assert.Single(resumed.Processed).Status);
        Assert.Equal(2000L, Assert.Single(Credits(harness, provider, note)).Amount);
    }

    [Fact]
    public async Task A_credit_note_waits_for_its_original_to_reach_Stripe()
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", PaymentProvider.Stripe);
        var original = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m]));
        var note = harness.Finalize(PaymentHarness.Correction(original, InvoiceKind.CreditNote, 2, 1, -30m));
        var stripe = harness.Stripe;

        // Both are due at once; the credit note's record sorts first, so its turn comes before the original is at Stripe.
        var first = await harness.Worker().RunOnceAsync();
        var waiting = harness.Push(note);

        Assert.Equal([note.Id, original.Id], first.Processed.Select(r => r.InvoiceId));
        Assert.Equal(SyncStatus.Pending, waiting.Status);
        Assert.Contains("waits for", waiting.LastError);
        Assert.True(waiting.NextAttemptAt > harness.Time.GetUtcNow());
        Assert.Empty(stripe.CreditNotes);
        Assert.Equal(SyncStatus.Done, harness.Push(original).Status);

        Assert.Empty((await harness.Worker().RunOnceAsync()).Processed);
        harness.Time.Advance(TimeSpan.FromHours(1));
        await harness.Worker().RunOnceAsync();

        Assert.Equal(SyncStatus.Done, harness.Push(note).Status);
        Assert.Equal(3000L, Assert.Single(stripe.CreditNotes).Total);
    }

    [Fact]
    public async Task A_credit_note_on_an_unpaid_Razorpay_invoice_waits_for_the_payment_then_refunds()
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", PaymentProvider.Razorpay, email: "billing@acme.example");
        var original = harness.Finalize(PaymentHarness.Sample("acme", "INR", 1, [100m]));
        await harness.Worker().RunOnceAsync();
        var note = harness.Finalize(PaymentHarness.Correction(original, InvoiceKind.CreditNote, 2, 1, -25m));

        await harness.Worker().RunOnceAsync();
        Assert.Equal(SyncStatus.Pending, harness.Push(note).Status);
        Assert.Contains("issued", harness.Push(note).LastError);
        Assert.Empty(harness.Razorpay.Refunds);

        harness.Razorpay.Pay(harness.Push(original).ProviderInvoiceId!);
        harness.Time.Advance(TimeSpan.FromHours(1));
        await harness.Worker().RunOnceAsync();

        Assert.Equal(SyncStatus.Done, harness.Push(note).Status);
        Assert.Equal(2500L, Assert.Single(harness.Razorpay.Refunds)["amount"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(PaymentProvider.Stripe)]
    [InlineData(PaymentProvider.Razorpay)]
    public async Task An_adjustment_is_sent_as_an_invoice_of_its_own(PaymentProvider provider)
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", provider, email: "billing@acme.example");
        var original = harness.Finalize(PaymentHarness.Sample("acme", "INR", 1, [100m]));
        await harness.Worker().RunOnceAsync();
        var adjustment = harness.Finalize(PaymentHarness.Correction(original, InvoiceKind.Adjustment, 2, 1, 7.5m));

        var record = Assert.Single((await harness.Worker().RunOnceAsync()).Processed);

        Assert.Equal((adjustment.Id, SyncStatus.Done), (record.InvoiceId, record.Status));
        var remote = Assert.Single(RemoteView.Of(harness, provider, adjustment));
        Assert.Equal((RemoteView.Delivered(provider), 750L), (remote.Status, remote.Total));
    }

    [Fact]
    public async Task A_credit_note_of_an_invoice_that_was_never_sent_is_not_sent_either()
    {
        using var harness = new PaymentHarness();
        var original = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m]));
        harness.UseProvider("acme", PaymentProvider.Stripe);
        var note = harness.Finalize(PaymentHarness.Correction(original, InvoiceKind.CreditNote, 2, 1, -30m));

        Assert.Empty((await harness.Worker().RunOnceAsync()).Processed);
        Assert.Null(harness.Push(note));
    }

    [Fact]
    public async Task Voiding_a_credit_note_voids_the_Stripe_credit_note()
    {
        using var harness = new PaymentHarness();
        var (_, note) = await CreditedAsync(harness, PaymentProvider.Stripe);
        await harness.Worker().RunOnceAsync();

        harness.Void(note);
        var record = Assert.Single((await harness.Worker().RunOnceAsync()).Processed);

        Assert.Equal((SyncAction.Void, SyncStatus.Done), (record.Action, record.Status));
        Assert.Equal("void", Assert.Single(harness.Stripe.CreditNotes).Status);
        Assert.Equal(11234L, harness.Stripe.Invoices.Single().AmountRemaining);
    }

    [Fact]
    public async Task Reconciliation_finds_a_pushed_credit_note_at_both_providers()
    {
        using var harness = new PaymentHarness();
        var (_, stripeNote) = await CreditedAsync(harness, PaymentProvider.Stripe);
        await harness.Worker().RunOnceAsync();
        using var http = new HttpClient();

        Assert.Empty(await new Reconciler(harness.Billing, harness.Payments, http).RunAsync(PaymentHarness.Tenant));
        Assert.Single(Credits(harness, PaymentProvider.Stripe, stripeNote));
    }
}
