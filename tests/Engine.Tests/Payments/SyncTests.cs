using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Tests.Payments.Fakes;

namespace RulesBilling.Engine.Tests.Payments;

public sealed class SyncTests
{
    public static TheoryData<PaymentProvider, string, decimal[], decimal, long[]> Currencies() => new()
    {
        // provider, currency, line amounts, credits, expected minor units per line (credits last)
        { PaymentProvider.Stripe, "USD", [100m, 12.34m], 0m, [10000, 1234] },
        { PaymentProvider.Stripe, "JPY", [5000m, 123m], 100m, [5000, 123, -100] },
        { PaymentProvider.Stripe, "KWD", [10.250m, 0.120m], 0m, [10250, 120] },
        { PaymentProvider.Razorpay, "INR", [499m, 0.05m], 0m, [49900, 5] },
        { PaymentProvider.Razorpay, "JPY", [5000m, 123m], 0m, [5000, 123] },
        // Razorpay takes no negative line item: the credits are folded into the largest item (PaymentLines.ForRazorpay).
        { PaymentProvider.Razorpay, "KWD", [10.250m, 0.120m], 1.000m, [9250, 120] },
    };

    [Theory]
    [MemberData(nameof(Currencies))]
    public async Task A_finalized_invoice_arrives_once_with_its_lines_and_total_in_minor_units(
        PaymentProvider provider, string currency, decimal[] lines, decimal credits, long[] expected)
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", provider);
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", currency, 1, lines, credits));

        var result = await harness.Worker().RunOnceAsync();
        var again = await harness.Worker().RunOnceAsync();

        Assert.Equal(SyncStatus.Done, Assert.Single(result.Processed).Status);
        Assert.Empty(again.Processed);
        var remote = Assert.Single(RemoteView.Of(harness, provider, invoice));
        Assert.Equal(RemoteView.Delivered(provider), remote.Status);
        Assert.Equal(currency, remote.Currency);
        Assert.Equal(expected, remote.Lines.Select(l => l.Amount));
        Assert.Equal(expected.Sum(), remote.Total);
        Assert.Equal(invoice.Lines.Select(l => l.Id), remote.Lines.Take(lines.Length).Select(l => l.LineId));
        Assert.Equal(PaymentState.Sent, harness.Payments.FindPaymentState(PaymentHarness.Tenant, invoice.Id)!.State);
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
    public async Task Every_write_failing_once_still_delivers_exactly_one_invoice(PaymentProvider provider, Fault fault)
    {
        using var harness = new PaymentHarness(requestTimeout: TimeSpan.FromMilliseconds(400));
        harness.UseProvider("acme", provider);
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m, 12.34m, 0.66m]));
        var fake = harness.Fake(provider);
        // Each write request (POST/DELETE) fails once with the fault, then succeeds on the retry.
        var failed = new HashSet<string>(StringComparer.Ordinal);
        fake.FaultFilter = r => r.Method != "GET" && failed.Add(r.Path + r.Body);
        for (var i = 0; i < 20; i++) fake.Faults.Enqueue(fault);

        var result = await harness.Worker().RunOnceAsync();

        Assert.Equal((SyncStatus.Done, null), (Assert.Single(result.Processed).Status, result.Processed[0].LastError));
        var remote = Assert.Single(RemoteView.Of(harness, provider, invoice));
        Assert.Equal((RemoteView.Delivered(provider), 11300L), (remote.Status, remote.Total));
        Assert.Equal(invoice.Lines.Select(l => l.Id), remote.Lines.Select(l => l.LineId));
        Assert.Equal(1, provider == PaymentProvider.Stripe ? harness.Stripe.CustomerCount : harness.Razorpay.CustomerCount);
        Assert.True(harness.Push(invoice).Attempts > 1);
    }

    public static TheoryData<PaymentProvider, int> CrashPoints()
    {
        var data = new TheoryData<PaymentProvider, int>();
        // Stripe writes: customer, draft, two invoice items, finalize, send; Razorpay: customer, invoice, issue.
        for (var n = 1; n <= 6; n++) data.Add(PaymentProvider.Stripe, n);
        for (var n = 1; n <= 3; n++) data.Add(PaymentProvider.Razorpay, n);
        return data;
    }

    /// <summary>The process dies right after the provider committed the n-th write, before our checkpoint.</summary>
    [Theory]
    [MemberData(nameof(CrashPoints))]
    public async Task A_restart_after_any_provider_write_resumes_without_duplicates(PaymentProvider provider, int crashAfterWrite)
    {
        using var harness = new PaymentHarness(liteDb: true);
        harness.UseProvider("acme", provider);
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "JPY", 7, [5000m, 120m]));
        using var crash = new CancellationTokenSource();
        var writes = 0;
        harness.Fake(provider).AfterCommit = r =>
        {
            if (r.Method == "GET" || ++writes != crashAfterWrite) return false;
            crash.Cancel();
            return true;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Worker().RunOnceAsync(crash.Token));
        harness.Fake(provider).AfterCommit = null;
        harness.Restart();
        Assert.Equal(SyncStatus.Pending, harness.Push(invoice).Status);
        var resumed = await harness.Worker().RunOnceAsync();

        Assert.Equal(SyncStatus.Done, Assert.Single(resumed.Processed).Status);
        var remote = Assert.Single(RemoteView.Of(harness, provider, invoice));
        Assert.Equal((RemoteView.Delivered(provider), 5120L), (remote.Status, remote.Total));
        Assert.Equal(2, remote.Lines.Count);
        if (provider == PaymentProvider.Stripe) Assert.Equal(1, harness.Stripe.Invoices.Single().SendCount);
    }

    [Theory]
    [InlineData(PaymentProvider.Stripe)]
    [InlineData(PaymentProvider.Razorpay)]
    public async Task Persistent_transient_failures_dead_letter_and_a_requeue_resumes(PaymentProvider provider)
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", provider);
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m]));
        var fake = harness.Fake(provider);
        for (var i = 0; i < 4; i++) fake.Faults.Enqueue(Fault.ServerErrorBefore);

        var first = await harness.Worker(new RetryOptions(2, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5))).RunOnceAsync();
        var dead = Assert.Single(first.Processed);
        Assert.Equal(SyncStatus.DeadLetter, dead.Status);
        Assert.Contains("500", dead.LastError);
        Assert.Empty(RemoteView.Of(harness, provider, invoice));

        var worker = harness.Worker();
        worker.Requeue(dead.Id);
        var second = await worker.RunOnceAsync();

        Assert.Equal(SyncStatus.Done, Assert.Single(second.Processed).Status);
        Assert.Single(RemoteView.Of(harness, provider, invoice));
    }

    [Theory]
    [InlineData(PaymentProvider.Stripe)]
    [InlineData(PaymentProvider.Razorpay)]
    public async Task Bad_credentials_stop_for_a_human_without_retrying(PaymentProvider provider)
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", provider);
        var account = harness.Payments.FindAccount(PaymentHarness.Tenant, provider)!;
        harness.Payments.SaveAccount(account with { ApiKey = "wrong" });
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m]));

        var record = Assert.Single((await harness.Worker().RunOnceAsync()).Processed);

        Assert.Equal(SyncStatus.NeedsHuman, record.Status);
        Assert.Contains("401", record.LastError);
        Assert.Single(harness.Fake(provider).Log);
        Assert.DoesNotContain("wrong", record.LastError);
        Assert.Empty(RemoteView.Of(harness, provider, invoice));
    }

    [Theory]
    [InlineData(PaymentProvider.Stripe)]
    [InlineData(PaymentProvider.Razorpay)]
    public async Task A_lossy_amount_is_refused_before_any_call(PaymentProvider provider)
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", provider);
        harness.Finalize(PaymentHarness.Sample("acme", "KWD", 1, [10.125m]));

        var record = Assert.Single((await harness.Worker().RunOnceAsync()).Processed);

        Assert.Equal(SyncStatus.NeedsHuman, record.Status);
        Assert.Contains("without losing precision", record.LastError);
        Assert.Empty(harness.Fake(provider).Log);
    }

    [Fact]
    public async Task A_total_mismatch_at_Stripe_stops_and_never_finalizes()
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", PaymentProvider.Stripe);
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m]));
        // Someone adds an item to the draft between our last line and the read-back.
        harness.Stripe.AfterCommit = r =>
        {
            if (r.Path == "/v1/invoiceitems") harness.Stripe.Tamper(harness.Stripe.Invoices.Single().Id, i => i.Lines.Add(new("il_x", "ii_x", 5, "extra", [])));
            return false;
        };

        var record = Assert.Single((await harness.Worker().RunOnceAsync()).Processed);

        Assert.Equal(SyncStatus.Mismatch, record.Status);
        Assert.Contains("10005", record.LastError);
        Assert.Equal("draft", Assert.Single(RemoteView.Of(harness, PaymentProvider.Stripe, invoice)).Status);
    }

    [Fact]
    public async Task A_total_mismatch_at_Razorpay_stops_and_never_issues()
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", PaymentProvider.Razorpay);
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "INR", 1, [100m]));
        harness.Razorpay.AfterCommit = r =>
        {
            if (r.Path == "/v1/invoices" && r.Method == "POST") harness.Razorpay.Tamper(harness.Razorpay.Invoices.Single()["id"]!.GetValue<string>(), i => i["amount"] = 9999L);
            return false;
        };

        var record = Assert.Single((await harness.Worker().RunOnceAsync()).Processed);

        Assert.Equal(SyncStatus.Mismatch, record.Status);
        Assert.Equal("draft", Assert.Single(RemoteView.Of(harness, PaymentProvider.Razorpay, invoice)).Status);
    }

    [Theory]
    [InlineData(PaymentProvider.Stripe, "void")]
    [InlineData(PaymentProvider.Razorpay, "cancelled")]
    public async Task Voiding_our_invoice_voids_it_at_the_provider(PaymentProvider provider, string voidedStatus)
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", provider);
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m]));
        await harness.Worker().RunOnceAsync();

        harness.Void(invoice);
        var result = await harness.Worker().RunOnceAsync();

        Assert.Equal((SyncAction.Void, SyncStatus.Done), (Assert.Single(result.Processed).Action, result.Processed[0].Status));
        Assert.Equal(voidedStatus, Assert.Single(RemoteView.Of(harness, provider, invoice)).Status);
        Assert.Equal(PaymentState.Voided, harness.Payments.FindPaymentState(PaymentHarness.Tenant, invoice.Id)!.State);
    }

    [Theory]
    [InlineData(PaymentProvider.Stripe)]
    [InlineData(PaymentProvider.Razorpay)]
    public async Task A_void_before_the_push_ran_cancels_the_push_and_sends_nothing(PaymentProvider provider)
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", provider);
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m]));
        harness.Void(invoice);

        await harness.Worker().RunOnceAsync();

        Assert.Equal(SyncStatus.Cancelled, harness.Push(invoice).Status);
        Assert.Empty(RemoteView.Of(harness, provider, invoice));
    }

    [Fact]
    public async Task Customers_without_a_provider_get_no_outbox_row_and_a_customer_is_created_once()
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", PaymentProvider.Stripe);
        harness.Finalize(PaymentHarness.Sample("globex", "USD", 1, [100m]));
        harness.Finalize(PaymentHarness.Sample("acme", "USD", 2, [100m]));
        harness.Finalize(PaymentHarness.Sample("acme", "USD", 3, [50m]));

        var result = await harness.Worker().RunOnceAsync();

        Assert.Equal(2, result.Count(SyncStatus.Done));
        Assert.Equal(1, harness.Stripe.CustomerCount);
        Assert.Equal(2, harness.Stripe.Invoices.Count);
        Assert.DoesNotContain(harness.Payments.ListSync(), r => r.InvoiceId.Contains("globex", StringComparison.Ordinal));
    }
}
