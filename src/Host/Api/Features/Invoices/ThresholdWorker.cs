using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Api.Features.Invoices;

/// <summary>
/// The threshold check of <c>serve</c> (docs/dsl-spec.md §10.9.3): every <c>--threshold-interval</c>, each tenant's
/// customers whose activity changed since the last pass (the outcome state's per-customer change rows, so no events
/// are read for the others), and those whose running amount was due to move by now without an event (a validation
/// window closing, a base fee starting on total), are checked with <see cref="ThresholdInvoicing.CheckThresholds"/>, which
/// issues the threshold invoices they owe. Off when the interval is zero (the API call and finalize still issue them).
/// <para>
/// Safe on several nodes: each node runs its own pass, and issuing takes the period's lock and re-reads the period's
/// threshold invoices, so a threshold is billed once whichever node gets there first. The first pass after a start
/// checks every customer that ever changed, so nothing crossed while the server was down waits for the next event.
/// A customer no contract governs now has no thresholds and is passed over quietly. A failing check is logged and
/// retried at the customer's next change; a failing pass is logged and the next runs.
/// </para>
/// </summary>
internal sealed class ThresholdWorker(IBillingStore store, ThresholdInvoicing thresholds, ServeOptions options, TimeProvider time, ILogger<ThresholdWorker> log)
    : BackgroundService
{
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Tenant, string Customer), DateTimeOffset> _due = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.ThresholdInterval <= TimeSpan.Zero)
        {
            log.LogInformation("Threshold checks are off (--threshold-interval 0); POST /v1/customers/{{id}}/invoices/thresholds or finalize issues threshold invoices");
            return;
        }
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                RunOnce(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Threshold check pass failed; retrying in {Interval}", options.ThresholdInterval);
            }
            try
            {
                await Task.Delay(options.ThresholdInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over every tenant; returns the number of threshold invoices it issued.</summary>
    internal int RunOnce(CancellationToken cancellation = default)
    {
        var issued = 0;
        foreach (var tenant in KnownCustomers.Tenants(store) ?? [])
        {
            cancellation.ThrowIfCancellationRequested();
            if (KnownCustomers.ChangedSince(store, tenant, _seen.GetValueOrDefault(tenant)) is not { } changes) continue;
            var now = time.GetUtcNow();
            var due = _due.Where(d => d.Key.Tenant == tenant && d.Value <= now).Select(d => d.Key.Customer);
            foreach (var customer in changes.Customers.Union(due, StringComparer.Ordinal).ToList())
            {
                cancellation.ThrowIfCancellationRequested();
                issued += Check(tenant, customer);
            }
            _seen[tenant] = changes.Version;
        }
        return issued;
    }

    private int Check(string tenant, string customer)
    {
        _due.Remove((tenant, customer));
        try
        {
            var check = thresholds.CheckThresholds(tenant, customer);
            foreach (var invoice in check.Issued)
            {
                log.LogInformation("Threshold invoice {Number} ({Id}) issued for {Tenant}/{Customer}: thresholds {Thresholds} reached at {CrossedAt}",
                    invoice.Number, invoice.Id, tenant, customer, string.Join(", ", invoice.Threshold!.Amounts), invoice.Threshold.CrossedAt);
            }
            if (check.NextMove is { } next) _due[(tenant, customer)] = next;
            return check.Issued.Count;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Threshold check of {Tenant}/{Customer} failed (retried at its next change): {Error}", tenant, customer, e.Message);
            return 0;
        }
    }
}
