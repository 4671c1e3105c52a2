using FsCheck.Xunit;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Tests.Payments.Fakes;

namespace RulesBilling.Engine.Tests.Payments;

public sealed class SyncProperties
{
    /// <summary>
    /// Whatever faults hit whichever requests, and however often the worker is dead-lettered and requeued (each
    /// run a new worker instance), the provider ends with exactly one invoice for ours, delivered, with our total.
    /// </summary>
    [Property(MaxTest = 12)]
    public bool Stripe_ends_with_one_invoice_and_our_total_under_any_faults(Fault[] faults) => Holds(PaymentProvider.Stripe, faults);

    [Property(MaxTest = 12)]
    public bool Razorpay_ends_with_one_invoice_and_our_total_under_any_faults(Fault[] faults) => Holds(PaymentProvider.Razorpay, faults);

    private static bool Holds(PaymentProvider provider, Fault[] faults)
    {
        using var harness = new PaymentHarness(requestTimeout: TimeSpan.FromMilliseconds(300));
        harness.UseProvider("acme", provider);
        var invoice = harness.Finalize(PaymentHarness.Sample("acme", "KWD", 1, [10.250m, 3.120m, 0.010m], credits: 1.000m));
        foreach (var fault in faults.Take(10)) harness.Fake(provider).Faults.Enqueue(fault);
        var retries = new RetryOptions(2, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));

        for (var run = 0; run < 20 && harness.Push(invoice).Status != SyncStatus.Done; run++)
        {
            var worker = harness.Worker(retries);
            if (harness.Push(invoice).Status == SyncStatus.DeadLetter) worker.Requeue(harness.Push(invoice).Id);
            worker.RunOnceAsync().GetAwaiter().GetResult();
            var remote = RemoteView.Of(harness, provider, invoice);
            if (remote.Count > 1) return false;
        }

        var delivered = RemoteView.Of(harness, provider, invoice);
        return harness.Push(invoice).Status == SyncStatus.Done
            && delivered.Count == 1
            && delivered[0].Status == RemoteView.Delivered(provider)
            && delivered[0].Total == 12380L;
    }
}
