using RulesBilling.Engine.Invoicing;
using Stripe;
using Invoice = RulesBilling.Engine.Invoicing.Invoice;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// Pushes an invoice to Stripe through Stripe.net: ensure the customer; create a draft (auto_advance=false); add one
/// invoice item per line (our line id in metadata); read back and compare the total (a mismatch stops, the draft is
/// never finalized); finalize; send. Every call carries our stored idempotency key, and every creating step first
/// looks its object up (search by metadata, the draft's lines), so neither a restart nor an expired or re-issued key
/// creates a duplicate. The SDK's own retries are off: <see cref="StepRunner"/> retries.
/// </summary>
internal sealed class StripeInvoiceSync(HttpClient http) : IProviderSync
{
    public const string DefaultApiBase = "https://api.stripe.com";

    public async Task PushAsync(SyncContext context, CancellationToken cancellation)
    {
        var client = Client(context.Account);
        var invoice = context.Invoice;
        var lines = PaymentLines.Of(invoice, PaymentProvider.Stripe);
        var total = ProviderMoney.ToMinorUnits(invoice.Total, invoice.Currency, PaymentProvider.Stripe);
        var invoices = new InvoiceService(client);

        if (context.Record.Step == SyncSteps.Customer)
        {
            var customerId = await EnsureCustomerAsync(context, client, cancellation);
            context.Checkpoint(r => r with { ProviderCustomerId = customerId, Step = SyncSteps.Draft });
        }

        if (context.Record.Step == SyncSteps.Draft)
        {
            var id = await RunAsync(context, SyncSteps.Draft, async (options, ct) =>
                (await FindRemoteAsync(invoices, invoice, context.Record.Revision, ct))?.Id
                ?? (await invoices.CreateAsync(DraftOptions(context), options, ct)).Id, cancellation);
            context.Checkpoint(r => r with { ProviderInvoiceId = id, Step = SyncSteps.Lines });
        }

        var remoteId = context.Record.ProviderInvoiceId!;
        if (context.Record.Step == SyncSteps.Lines)
        {
            await AddLinesAsync(context, client, remoteId, lines, cancellation);
            context.Advance(SyncSteps.Verify);
        }

        if (context.Record.Step == SyncSteps.Verify)
        {
            var remote = await context.Runner.RunAsync(ct => invoices.GetAsync(remoteId, null, null, ct), cancellation);
            if (remote.Total != total || remote.Currency != invoice.Currency.ToLowerInvariant())
            {
                throw new PaymentException(
                    $"Stripe invoice {remoteId} totals {remote.Total} {remote.Currency}, ours {invoice.Number} totals {total} {invoice.Currency.ToLowerInvariant()} (minor units); left as a draft",
                    FailureKind.Mismatch);
            }
            context.Advance(SyncSteps.Finalize);
        }

        if (context.Record.Step == SyncSteps.Finalize)
        {
            await RunAsync(context, SyncSteps.Finalize, async (options, ct) =>
            {
                var remote = await invoices.GetAsync(remoteId, null, null, ct);
                return remote.Status == "draft"
                    ? await invoices.FinalizeInvoiceAsync(remoteId, new InvoiceFinalizeOptions { AutoAdvance = false }, options, ct)
                    : remote;
            }, cancellation);
            context.Advance(SyncSteps.Send);
        }

        if (context.Record.Step == SyncSteps.Send)
        {
            // A zero-total invoice is paid at finalization and cannot be sent.
            await RunAsync(context, SyncSteps.Send, async (options, ct) =>
            {
                var remote = await invoices.GetAsync(remoteId, null, null, ct);
                return remote.Status == "open" ? await invoices.SendInvoiceAsync(remoteId, null, options, ct) : remote;
            }, cancellation);
            context.Checkpoint(r => r with { Step = SyncSteps.Complete, Status = SyncStatus.Done, LastError = null });
        }
    }

    public async Task VoidAsync(SyncContext context, CancellationToken cancellation)
    {
        var invoices = new InvoiceService(Client(context.Account));
        var remote = await RunAsync(context, SyncSteps.Void, async (options, ct) =>
        {
            var found = context.Record.ProviderInvoiceId is { } id
                ? await invoices.GetAsync(id, null, null, ct)
                : await FindRemoteAsync(invoices, context.Invoice, context.Record.Revision, ct);
            return found?.Status switch
            {
                null or "void" => found,
                "draft" => await invoices.DeleteAsync(found.Id, null, options, ct),
                "open" or "uncollectible" => await invoices.VoidInvoiceAsync(found.Id, null, options, ct),
                _ => throw new PaymentException(
                    $"Stripe invoice {found.Id} is {found.Status}; it cannot be voided there (refund it in Stripe)", FailureKind.Permanent),
            };
        }, cancellation);
        context.Checkpoint(r => r with { ProviderInvoiceId = remote?.Id ?? r.ProviderInvoiceId, Step = SyncSteps.Complete, Status = SyncStatus.Done, LastError = null });
    }

    public async Task<RemoteInvoice?> FindAsync(ProviderAccount account, Invoice invoice, int revision, CancellationToken cancellation)
    {
        var remote = await FindRemoteAsync(new InvoiceService(Client(account)), invoice, revision, cancellation);
        return remote is null ? null : new RemoteInvoice(remote.Id, remote.Status, remote.Total, remote.Currency);
    }

    private StripeClient Client(ProviderAccount account) => new(new StripeClientOptions
    {
        ApiKey = account.ApiKey,
        ApiBase = account.ApiBase ?? DefaultApiBase,
        HttpClient = new SystemNetHttpClient(http, maxNetworkRetries: 0, appInfo: null, enableTelemetry: false),
    });

    private static async Task<string> EnsureCustomerAsync(SyncContext context, StripeClient client, CancellationToken cancellation)
    {
        var record = context.Record;
        var customer = context.Invoice.Customer;
        if (context.Store.FindProviderCustomer(record.Tenant, PaymentProvider.Stripe, customer) is { } known) return known.ProviderCustomerId;

        var customers = new CustomerService(client);
        var key = SyncIds.CustomerKey(record.Tenant, customer);
        var id = await context.Runner.RunAsync(async ct =>
        {
            var query = $"metadata['engine_tenant']:'{Quote(record.Tenant)}' AND metadata['engine_customer_id']:'{Quote(customer)}'";
            var found = await customers.SearchAsync(new CustomerSearchOptions { Query = query }, null, ct);
            if (found.Data.FirstOrDefault() is { } existing) return existing.Id;
            var created = await customers.CreateAsync(new CustomerCreateOptions
            {
                Name = customer,
                Metadata = new Dictionary<string, string> { ["engine_tenant"] = record.Tenant, ["engine_customer_id"] = customer },
            }, new RequestOptions { IdempotencyKey = key }, ct);
            return created.Id;
        }, cancellation);
        context.Store.SaveProviderCustomer(new ProviderCustomer(record.Tenant, PaymentProvider.Stripe, customer, id));
        return id;
    }

    private static InvoiceCreateOptions DraftOptions(SyncContext context) => new()
    {
        Customer = context.Record.ProviderCustomerId,
        Currency = context.Invoice.Currency.ToLowerInvariant(),
        AutoAdvance = false,
        CollectionMethod = "send_invoice",
        DaysUntilDue = 30,
        PendingInvoiceItemsBehavior = "exclude",
        Description = context.Invoice.Number,
        Metadata = InvoiceMetadata(context.Invoice, context.Record.Revision),
    };

    private static async Task AddLinesAsync(
        SyncContext context, StripeClient client, string remoteId, IReadOnlyList<PaymentLine> lines, CancellationToken cancellation)
    {
        var invoiceLines = new InvoiceLineItemService(client);
        var items = new InvoiceItemService(client);

        async Task<HashSet<string>> PresentAsync(CancellationToken ct)
        {
            var present = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var line in invoiceLines.ListAutoPagingAsync(remoteId, new InvoiceLineItemListOptions { Limit = 100 }, null, ct))
            {
                if (line.Metadata?.TryGetValue("engine_line_id", out var id) == true) present.Add(id);
            }
            return present;
        }

        // What a previous run (possibly killed before its checkpoint) already added.
        var already = await context.Runner.RunAsync(PresentAsync, cancellation);
        context.Checkpoint(r => r with { SentLines = r.SentLines.Union(already, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() });

        foreach (var line in lines.Where(l => !context.Record.SentLines.Contains(l.Id, StringComparer.Ordinal)))
        {
            var attempt = 0;
            await RunAsync(context, "line:" + line.Id, async (options, ct) =>
            {
                if (attempt++ > 0 && (await PresentAsync(ct)).Contains(line.Id)) return line.Id;
                await items.CreateAsync(new InvoiceItemCreateOptions
                {
                    Customer = context.Record.ProviderCustomerId,
                    Invoice = remoteId,
                    Amount = line.Amount,
                    Currency = context.Invoice.Currency.ToLowerInvariant(),
                    Description = line.Description,
                    Metadata = new Dictionary<string, string> { ["engine_line_id"] = line.Id },
                }, options, ct);
                return line.Id;
            }, cancellation);
            context.Checkpoint(r => r with { SentLines = [.. r.SentLines, line.Id] });
        }
    }

    private static async Task<Stripe.Invoice?> FindRemoteAsync(InvoiceService invoices, Invoice invoice, int revision, CancellationToken ct)
    {
        var query = $"metadata['engine_tenant']:'{Quote(invoice.Tenant)}' AND metadata['engine_invoice_id']:'{Quote(invoice.Id)}'";
        var found = await invoices.SearchAsync(new InvoiceSearchOptions { Query = query }, null, ct);
        var revisionText = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return found.Data.Where(i => i.Metadata.GetValueOrDefault("engine_revision") == revisionText && i.Status != "void")
            .OrderBy(i => i.Id, StringComparer.Ordinal).FirstOrDefault();
    }

    private static Dictionary<string, string> InvoiceMetadata(Invoice invoice, int revision) => new()
    {
        ["engine_tenant"] = invoice.Tenant,
        ["engine_invoice_id"] = invoice.Id,
        ["engine_invoice_number"] = invoice.Number ?? "",
        ["engine_revision"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Runs a keyed call. A 500 that Stripe replays under the key would fail every retry, so the key is re-issued
    /// (the call looks its object up first, so this cannot duplicate it).
    /// </summary>
    private static Task<T> RunAsync<T>(SyncContext context, string step, Func<RequestOptions, CancellationToken, Task<T>> call, CancellationToken cancellation) =>
        context.Runner.RunAsync(async ct =>
        {
            try
            {
                return await call(new RequestOptions { IdempotencyKey = context.Key(step) }, ct);
            }
            catch (StripeException e) when ((int)e.HttpStatusCode >= 500 && IsReplay(e))
            {
                context.ReissueKey(step);
                throw;
            }
        }, cancellation);

    private static bool IsReplay(StripeException e) =>
        e.StripeResponse?.Headers is { } headers && headers.TryGetValues("Idempotent-Replayed", out var values)
        && values.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase));

    private static string Quote(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
}
