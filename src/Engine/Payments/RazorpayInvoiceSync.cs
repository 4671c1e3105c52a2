using System.Globalization;
using RulesBilling.Engine.Invoicing;
using Invoice = RulesBilling.Engine.Invoicing.Invoice;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// Pushes an invoice to Razorpay: customer (fail_existing "0", mapping kept); look up by receipt (= our invoice
/// number, "-r{n}" for later revisions) and only then create a draft invoice with every line (negative lines folded into
/// positive ones: <see cref="PaymentLines.ForRazorpay"/>); read back and compare
/// the amount; issue. Razorpay has no idempotency keys, so the receipt look-up before every create attempt is what
/// keeps retries and restarts from creating a second invoice. An adjustment is pushed as an invoice (its own number
/// is its receipt). A credit note becomes a refund of the original invoice's payment (Razorpay has no credit notes,
/// and an issued invoice cannot be lowered): it waits until the original is paid, looks for its refund by notes, and
/// only then refunds.
/// </summary>
internal sealed class RazorpayInvoiceSync(HttpClient http) : IProviderSync
{
    public Task PushAsync(SyncContext context, CancellationToken cancellation) =>
        context.Invoice.Kind == InvoiceKind.CreditNote ? PushCreditNoteAsync(context, cancellation) : PushInvoiceAsync(context, cancellation);

    private async Task PushInvoiceAsync(SyncContext context, CancellationToken cancellation)
    {
        var client = new RazorpayClient(http, context.Account);
        var invoice = context.Invoice;
        var lines = PaymentLines.ForRazorpay(invoice);
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

    private async Task PushCreditNoteAsync(SyncContext context, CancellationToken cancellation)
    {
        var client = new RazorpayClient(http, context.Account);
        var note = context.Invoice;
        var amount = -ProviderMoney.ToMinorUnits(note.Total, note.Currency, PaymentProvider.Razorpay);
        if (amount <= 0) throw new PaymentException($"credit note {note.Number ?? note.Id}: it must credit a positive amount", FailureKind.Permanent);
        var original = context.OriginalPush();
        var originalId = original.ProviderInvoiceId!;
        if (context.Record.Step == SyncSteps.Customer) context.Checkpoint(r => r with { ProviderCustomerId = original.ProviderCustomerId, Step = SyncSteps.Credit });
        if (context.Record.Step != SyncSteps.Credit) return;

        var refund = await context.Runner.RunAsync(async ct =>
        {
            var paymentId = await PaymentOfAsync(client, originalId, ct);
            return await FindRefundAsync(client, paymentId, note, ct)
                   ?? await client.RefundAsync(paymentId, amount, Receipt(note, context.Record.Revision), Notes(note, context.Record.Revision), ct);
        }, cancellation);
        if (refund.Amount != amount)
        {
            throw new PaymentException(
                $"Razorpay refund {refund.Id} is {refund.Amount} {refund.Currency}, ours {note.Number} credits {amount} {note.Currency} (minor units)", FailureKind.Mismatch);
        }
        context.Checkpoint(r => r with { ProviderInvoiceId = refund.Id, Step = SyncSteps.Complete, Status = SyncStatus.Done, LastError = null });
    }

    /// <summary>The payment a credit on the invoice is refunded from; deferred while the invoice is unpaid.</summary>
    private static async Task<string> PaymentOfAsync(RazorpayClient client, string invoiceId, CancellationToken ct)
    {
        var invoice = await client.GetInvoiceAsync(invoiceId, ct);
        return invoice switch
        {
            { Status: "paid" or "partially_paid", PaymentId: { } paymentId } => paymentId,
            { Status: "issued" or "draft" } => throw new PaymentException(
                $"Razorpay invoice {invoiceId} is {invoice.Status} (unpaid), and Razorpay cannot lower an issued invoice: the credit is refunded once it is paid",
                FailureKind.Deferred),
            _ => throw new PaymentException($"Razorpay invoice {invoiceId} is {invoice.Status}; there is no payment to refund the credit from", FailureKind.Permanent),
        };
    }

    private static async Task<RazorpayRefund?> FindRefundAsync(RazorpayClient client, string paymentId, Invoice note, CancellationToken ct) =>
        (await client.ListRefundsAsync(paymentId, ct))
        .Where(r => r.Note("engine_tenant") == note.Tenant && r.Note("engine_invoice_id") == note.Id)
        .OrderBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault();

    public async Task VoidAsync(SyncContext context, CancellationToken cancellation)
    {
        if (context.Invoice.Kind == InvoiceKind.CreditNote)
        {
            // Voided before its refund was made (it was waiting for the payment): nothing happened at Razorpay.
            if (context.Record.ProviderInvoiceId is null)
            {
                context.Checkpoint(r => r with { Step = SyncSteps.Complete, Status = SyncStatus.Done, LastError = null });
                return;
            }
            throw new PaymentException(
                $"credit note {context.Invoice.Number ?? context.Invoice.Id} was refunded at Razorpay ({context.Record.ProviderInvoiceId ?? "refund pending"}); a refund cannot be undone there",
                FailureKind.Permanent);
        }
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

    public async Task<RemoteInvoice?> FindAsync(ProviderAccount account, IPaymentStore store, Invoice invoice, int revision, CancellationToken cancellation)
    {
        var client = new RazorpayClient(http, account);
        if (invoice.Kind == InvoiceKind.CreditNote)
        {
            var original = invoice.Corrects is { } corrects ? store.FindSync(SyncIds.Record(invoice.Tenant, corrects, PaymentOutbox.FirstRevision, SyncAction.Push)) : null;
            if (original?.ProviderInvoiceId is not { } originalId) return null;
            var paid = await client.GetInvoiceAsync(originalId, cancellation);
            var refund = paid.PaymentId is { } paymentId ? await FindRefundAsync(client, paymentId, invoice, cancellation) : null;
            // Our credit note's total is negative; the refund is the positive amount given back.
            return refund is null ? null : new RemoteInvoice(refund.Id, refund.Status ?? "processed", -refund.Amount, refund.Currency);
        }
        var found = await client.FindInvoiceByReceiptAsync(Receipt(invoice, revision), cancellation);
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
        var settings = context.Settings;
        RazorpayCustomerRules.Require(settings);
        var created = await context.Runner.RunAsync(ct => client.CreateCustomerAsync(settings.DisplayName, settings.Email, settings.Contact,
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
