using System.Globalization;
using Invoice = RulesBilling.Engine.Invoicing.Invoice;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// Pushes an invoice to Razorpay: customer (fail_existing "0", mapping kept); look up by receipt (= our invoice
/// number, "-r{n}" for later revisions) and only then create a draft invoice with every line; read back and compare
/// the amount; issue. Razorpay has no idempotency keys, so the receipt look-up before every create attempt is what
/// keeps retries and restarts from creating a second invoice.
/// </summary>
internal sealed class RazorpayInvoiceSync(HttpClient http) : IProviderSync
{
    public async Task PushAsync(SyncContext context, CancellationToken cancellation)
    {
        var client = new RazorpayClient(http, context.Account);
        var invoice = context.Invoice;
        var lines = PaymentLines.Of(invoice, PaymentProvider.Razorpay);
        var total = ProviderMoney.ToMinorUnits(invoice.Total, invoice.Currency, PaymentProvider.Razorpay);
        var receipt = Receipt(invoice, context.Record.Revision);

        if (context.Record.Step == SyncSteps.Customer)
        {
            var customerId = await EnsureCustomerAsync(context, client, cancellation);
            context.Checkpoint(r => r with { ProviderCustomerId = customerId, Step = SyncSteps.Draft });
        }

        if (context.Record.Step == SyncSteps.Draft)
        {
            var created = await context.Runner.RunAsync(async ct =>
                await client.FindInvoiceByReceiptAsync(receipt, ct)
                ?? await client.CreateDraftInvoiceAsync(context.Record.ProviderCustomerId!, invoice.Currency, receipt, Describe(invoice),
                    lines.Select(l => new RazorpayLineItem(Truncate(l.Description, 256), l.Id, l.Amount, invoice.Currency, 1)).ToList(),
                    Notes(invoice, context.Record.Revision), ct), cancellation);
            context.Checkpoint(r => r with
            {
                ProviderInvoiceId = created.Id, Step = SyncSteps.Verify, SentLines = lines.Select(l => l.Id).Order(StringComparer.Ordinal).ToList(),
            });
        }

        var remoteId = context.Record.ProviderInvoiceId!;
        if (context.Record.Step == SyncSteps.Verify)
        {
            var remote = await context.Runner.RunAsync(ct => client.GetInvoiceAsync(remoteId, ct), cancellation);
            if (remote.Amount != total || remote.Currency != invoice.Currency)
            {
                throw new PaymentException(
                    $"Razorpay invoice {remoteId} amounts to {remote.Amount} {remote.Currency}, ours {invoice.Number} to {total} {invoice.Currency} (minor units); left as a draft",
                    FailureKind.Mismatch);
            }
            context.Advance(SyncSteps.Finalize);
        }

        if (context.Record.Step == SyncSteps.Finalize)
        {
            await context.Runner.RunAsync(async ct =>
            {
                var remote = await client.GetInvoiceAsync(remoteId, ct);
                return remote.Status == "draft" ? await client.IssueAsync(remoteId, ct) : remote;
            }, cancellation);
            context.Checkpoint(r => r with { Step = SyncSteps.Complete, Status = SyncStatus.Done, LastError = null });
        }
    }

    public async Task VoidAsync(SyncContext context, CancellationToken cancellation)
    {
        var client = new RazorpayClient(http, context.Account);
        var receipt = Receipt(context.Invoice, context.Record.Revision);
        var id = await context.Runner.RunAsync(async ct =>
        {
            var found = context.Record.ProviderInvoiceId is { } known
                ? await client.GetInvoiceAsync(known, ct)
                : await client.FindInvoiceByReceiptAsync(receipt, ct);
            switch (found?.Status)
            {
                case null or "cancelled" or "expired" or "deleted":
                    break;
                case "draft":
                    await client.DeleteAsync(found.Id, ct);
                    break;
                case "issued":
                    await client.CancelAsync(found.Id, ct);
                    break;
                default:
                    throw new PaymentException(
                        $"Razorpay invoice {found.Id} is {found.Status}; it cannot be cancelled there (refund it in Razorpay)", FailureKind.Permanent);
            }
            return found?.Id;
        }, cancellation);
        context.Checkpoint(r => r with { ProviderInvoiceId = id ?? r.ProviderInvoiceId, Step = SyncSteps.Complete, Status = SyncStatus.Done, LastError = null });
    }

    public async Task<RemoteInvoice?> FindAsync(ProviderAccount account, Invoice invoice, int revision, CancellationToken cancellation)
    {
        var found = await new RazorpayClient(http, account).FindInvoiceByReceiptAsync(Receipt(invoice, revision), cancellation);
        return found is null ? null : new RemoteInvoice(found.Id, found.Status, found.Amount, found.Currency);
    }

    /// <summary>Our invoice number (unique per tenant, and accounts are per tenant); 1–40 characters.</summary>
    public static string Receipt(Invoice invoice, int revision)
    {
        var number = invoice.Number ?? throw new PaymentException($"invoice {invoice.Id} has no number; only finalized invoices are sent", FailureKind.Permanent);
        return revision == PaymentOutbox.FirstRevision ? number : $"{number}-r{revision.ToString(CultureInfo.InvariantCulture)}";
    }

    private static async Task<string> EnsureCustomerAsync(SyncContext context, RazorpayClient client, CancellationToken cancellation)
    {
        var record = context.Record;
        var customer = context.Invoice.Customer;
        if (context.Store.FindProviderCustomer(record.Tenant, PaymentProvider.Razorpay, customer) is { } known) return known.ProviderCustomerId;
        var created = await context.Runner.RunAsync(ct => client.CreateCustomerAsync(
            Truncate(customer.Length >= 3 ? customer : "Customer " + customer, 50),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["engine_tenant"] = record.Tenant, ["engine_customer_id"] = customer }, ct), cancellation);
        context.Store.SaveProviderCustomer(new ProviderCustomer(record.Tenant, PaymentProvider.Razorpay, customer, created.Id));
        return created.Id;
    }

    private static Dictionary<string, string> Notes(Invoice invoice, int revision) => new(StringComparer.Ordinal)
    {
        ["engine_tenant"] = invoice.Tenant,
        ["engine_invoice_id"] = invoice.Id,
        ["engine_revision"] = revision.ToString(CultureInfo.InvariantCulture),
    };

    private static string Describe(Invoice invoice) =>
        $"{invoice.Number} {invoice.Contract} {invoice.PeriodFrom.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}..{invoice.PeriodTo.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
