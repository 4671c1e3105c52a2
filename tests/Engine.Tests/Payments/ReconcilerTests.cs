using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Tests.Payments;

public sealed class ReconcilerTests
{
    [Fact]
    public async Task Reports_missing_total_mismatch_and_status_drift()
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", PaymentProvider.Stripe);
        var synced = harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m]));
        var tampered = harness.Finalize(PaymentHarness.Sample("acme", "USD", 2, [50m]));
        var voidedHereOnly = harness.Finalize(PaymentHarness.Sample("acme", "USD", 3, [10m]));
        await harness.Worker().RunOnceAsync();
        var notYet = harness.Finalize(PaymentHarness.Sample("acme", "USD", 4, [1m]));
        var remote = harness.Stripe.Invoices.ToDictionary(i => i.Metadata["engine_invoice_id"]);
        harness.Stripe.Tamper(remote[tampered.Id].Id, i => i.Lines.Add(new("il_x", "ii_x", 1, "extra", [])));
        // Voided here while the provider copy stays open (the void row not yet processed).
        harness.Void(voidedHereOnly);
        using var http = new HttpClient();

        var findings = await new Reconciler(harness.Billing, harness.Payments, http).RunAsync(PaymentHarness.Tenant);

        Assert.Equal(
            [("INV-000002", DriftKind.TotalMismatch), ("INV-000003", DriftKind.StatusDrift), ("INV-000004", DriftKind.Missing)],
            findings.Select(f => (f.InvoiceNumber!, f.Kind)));
        Assert.Contains("ours 5000, Stripe 5001", findings[0].Detail);
        Assert.DoesNotContain(findings, f => f.InvoiceId == synced.Id || f.InvoiceId == notYet.Id && f.Kind != DriftKind.Missing);
    }

    [Fact]
    public async Task A_clean_Razorpay_account_reconciles_with_no_findings()
    {
        using var harness = new PaymentHarness();
        harness.UseProvider("acme", PaymentProvider.Razorpay);
        harness.Finalize(PaymentHarness.Sample("acme", "INR", 1, [100m]));
        await harness.Worker().RunOnceAsync();
        using var http = new HttpClient();

        Assert.Empty(await new Reconciler(harness.Billing, harness.Payments, http).RunAsync(PaymentHarness.Tenant));
    }
}
