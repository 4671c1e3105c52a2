using System.Globalization;
using RulesBilling.Engine.Invoicing;
using Stripe;
using Invoice = RulesBilling.Engine.Invoicing.Invoice;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// Pushes an invoice to Stripe through Stripe.net: ensure the customer; create a draft (auto_advance=false,
/// send_invoice, pending items excluded, no inherited discounts); add one invoice item per line (our line id in
/// metadata; at most 250, see <see cref="PaymentLines.ForStripe"/>); read back and compare the total (a mismatch
/// stops, the draft is never finalized); finalize; send. A credit note becomes a Stripe credit note on the original's
/// Stripe invoice. Every call carries our stored idempotency key, and every creating step first looks its object up
/// through list endpoints (customers by email, the customer's invoices, the invoice's lines and credit notes) checked
/// by metadata, so neither a restart nor an expired or re-issued key creates a duplicate. Search is not used: Stripe
/// documents it as lagging up to a minute behind writes, and it is unavailable to merchants in India. The SDK's own
/// retries are off: <see cref="StepRunner"/> retries.
/// </summary>
internal sealed class StripeInvoiceSync(HttpClient http) : IProviderSync
{
    public const string DefaultApiBase = "https://api.stripe.com";

    /// <summary>Stripe's largest page.</summary>
    private const long PageSize = 100;

    /// <summary>How far before a record's creation a customer look-up without an email reaches back (clock skew, earlier invoices).</summary>
    private static readonly TimeSpan CustomerLookBack = TimeSpan.FromDays(1);

    public Task PushAsync(SyncContext context, CancellationToken cancellation) =>
        context.Invoice.Kind == InvoiceKind.CreditNote ? PushCreditNoteAsync(context, cancellation) : PushInvoiceAsync(context, cancellation);

    private async Task PushInvoiceAsync(SyncContext context, CancellationToken cancellation)
    {
        var client = Client(context.Account);
        var invoice = context.Invoice;
        var lines = PaymentLines.ForStripe(invoice);
        var total = ProviderMoney.ToMinorUnits(invoice.Total, invoice.Currency, PaymentProvider.Stripe);
        var invoices = new InvoiceService(client);

        if (context.Record.Step == SyncSteps.Customer)
        {
            var customerId = await EnsureCustomerAsync(context, client, cancellation);
            context.Checkpoint(r => r with { ProviderCustomerId = customerId, Step = SyncSteps.Draft });
        }

        if (context.Record.Step == SyncSteps.Draft)
        {
            var customerId = context.Record.ProviderCustomerId!;
            var id = await RunAsync(context, SyncSteps.Draft, async (options, ct) =>
                (await FindRemoteAsync(invoices, customerId, invoice, context.Record.Revision, ct))?.Id
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

    /// <summary>
    /// A credit note on the original's Stripe invoice, one custom line per credited line. Stripe applies it to what is
    /// left to pay first (<c>amount_remaining</c>); any part beyond that (the invoice was paid) is refunded
    /// (<c>refund_amount</c>), which is what a credit note on a paid invoice means to the customer.
    /// </summary>
    private async Task PushCreditNoteAsync(SyncContext context, CancellationToken cancellation)
    {
        var client = Client(context.Account);
        var note = context.Invoice;
        var lines = CreditLines(note);
        var amount = lines.Sum(l => l.Amount);
        var original = context.OriginalPush();
        var originalId = original.ProviderInvoiceId!;
        var invoices = new InvoiceService(client);
        var creditNotes = new CreditNoteService(client);
        if (context.Record.Step == SyncSteps.Customer) context.Checkpoint(r => r with { ProviderCustomerId = original.ProviderCustomerId, Step = SyncSteps.Credit });

        if (context.Record.Step == SyncSteps.Credit)
        {
            var created = await RunAsync(context, SyncSteps.Credit, async (options, ct) =>
            {
                if (await FindCreditNoteAsync(creditNotes, originalId, note, ct) is { } found) return found;
                var remote = await invoices.GetAsync(originalId, null, null, ct);
                var refund = amount - Math.Min(amount, remote.Status == "open" ? remote.AmountRemaining : 0);
                return await creditNotes.CreateAsync(new CreditNoteCreateOptions
                {
                    Invoice = originalId,
                    Lines = lines.Select(l => new CreditNoteLineOptions
                    {
                        Type = "custom_line_item", UnitAmount = l.Amount, Quantity = 1, Description = Truncate(l.Description, 500),
                    }).ToList(),
                    RefundAmount = refund > 0 ? refund : null,
                    Memo = Truncate($"{note.Number} corrects {remote.Number ?? originalId}", 500),
                    Metadata = InvoiceMetadata(note, context.Record.Revision),
                }, options, ct);
            }, cancellation);
            if (created.Total != amount || created.Currency != note.Currency.ToLowerInvariant())
            {
                throw new PaymentException(
                    $"Stripe credit note {created.Id} totals {created.Total} {created.Currency}, ours {note.Number} credits {amount} {note.Currency.ToLowerInvariant()} (minor units)",
                    FailureKind.Mismatch);
            }
            context.Checkpoint(r => r with { ProviderInvoiceId = created.Id, Step = SyncSteps.Complete, Status = SyncStatus.Done, LastError = null });
        }
    }

    public async Task VoidAsync(SyncContext context, CancellationToken cancellation)
    {
        var client = Client(context.Account);
        if (context.Invoice.Kind == InvoiceKind.CreditNote)
        {
            await VoidCreditNoteAsync(context, client, cancellation);
            return;
        }
        var invoices = new InvoiceService(client);
        var remote = await RunAsync(context, SyncSteps.Void, async (options, ct) =>
        {
            var found = context.Record.ProviderInvoiceId is { } id
                ? await invoices.GetAsync(id, null, null, ct)
                : await FindRemoteAsync(client, context.Store, context.Account, context.Invoice, context.Record.Revision, ct);
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

    /// <summary>Voiding our credit note voids Stripe's; one that refunded money cannot be voided (Stripe refuses too).</summary>
    private static async Task VoidCreditNoteAsync(SyncContext context, StripeClient client, CancellationToken cancellation)
    {
        var creditNotes = new CreditNoteService(client);
        var remote = await RunAsync(context, SyncSteps.Void, async (options, ct) =>
        {
            var found = context.Record.ProviderInvoiceId is { } id
                ? await creditNotes.GetAsync(id, null, null, ct)
                : await FindCreditNoteAsync(creditNotes, context.OriginalPush().ProviderInvoiceId!, context.Invoice, ct);
            if (found is null || found.Status == "void") return found;
            if (found.PostPaymentAmount > 0)
            {
                throw new PaymentException($"Stripe credit note {found.Id} refunded the customer; it cannot be voided there", FailureKind.Permanent);
            }
            return await creditNotes.VoidCreditNoteAsync(found.Id, null, options, ct);
        }, cancellation);
        context.Checkpoint(r => r with { ProviderInvoiceId = remote?.Id ?? r.ProviderInvoiceId, Step = SyncSteps.Complete, Status = SyncStatus.Done, LastError = null });
    }

    public async Task<RemoteInvoice?> FindAsync(ProviderAccount account, IPaymentStore store, Invoice invoice, int revision, CancellationToken cancellation)
    {
        var client = Client(account);
        if (invoice.Kind == InvoiceKind.CreditNote)
        {
            var original = invoice.Corrects is { } corrects ? store.FindSync(SyncIds.Record(invoice.Tenant, corrects, PaymentOutbox.FirstRevision, SyncAction.Push)) : null;
            if (original?.ProviderInvoiceId is not { } originalId) return null;
            var note = await FindCreditNoteAsync(new CreditNoteService(client), originalId, invoice, cancellation);
            // Our credit note's total is negative; Stripe's is the positive amount credited.
            return note is null ? null : new RemoteInvoice(note.Id, note.Status, -note.Total, note.Currency);
        }
        var remote = await FindRemoteAsync(client, store, account, invoice, revision, cancellation);
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

        var settings = context.Settings;
        var customers = new CustomerService(client);
        var key = SyncIds.CustomerKey(record.Tenant, customer);
        var id = await context.Runner.RunAsync(async ct =>
        {
            if (await FindCustomerAsync(customers, record.Tenant, customer, settings.Email, record.CreatedAt, ct) is { } existing) return existing;
            var created = await customers.CreateAsync(new CustomerCreateOptions
            {
                Name = settings.DisplayName,
                Email = settings.Email,
                Phone = settings.Contact,
                Metadata = new Dictionary<string, string> { ["engine_tenant"] = record.Tenant, ["engine_customer_id"] = customer },
            }, new RequestOptions { IdempotencyKey = key }, ct);
            return created.Id;
        }, cancellation);
        context.Store.SaveProviderCustomer(new ProviderCustomer(record.Tenant, PaymentProvider.Stripe, customer, id));
        return id;
    }

    /// <summary>
    /// Our customer at Stripe, by list: the customers with its email when it has one (exact, one short page);
    /// otherwise those created since a day before <paramref name="since"/> (a customer is created by the first push
    /// that needs it, never before its record), checked by metadata.
    /// </summary>
    private static async Task<string?> FindCustomerAsync(
        CustomerService customers, string tenant, string customer, string? email, DateTimeOffset since, CancellationToken ct)
    {
        var options = new CustomerListOptions { Limit = PageSize };
        if (email is not null) options.Email = email;
        else options.Created = new DateRangeOptions { GreaterThanOrEqual = (since - CustomerLookBack).UtcDateTime };
        await foreach (var candidate in customers.ListAutoPagingAsync(options, null, ct))
        {
            if (candidate.Metadata?.GetValueOrDefault("engine_tenant") == tenant && candidate.Metadata.GetValueOrDefault("engine_customer_id") == customer)
            {
                return candidate.Id;
            }
        }
        return null;
    }

    private static InvoiceCreateOptions DraftOptions(SyncContext context) => new()
    {
        Customer = context.Record.ProviderCustomerId,
        Currency = context.Invoice.Currency.ToLowerInvariant(),
        // Stripe would finalize (and with charge_automatically, charge) the draft by itself about an hour later,
        // possibly before every line is on it; we finalize after comparing the total.
        AutoAdvance = false,
        CollectionMethod = "send_invoice",
        DaysUntilDue = context.DaysUntilDue,
        // The customer's pending items at Stripe (created by someone else) are not ours to bill.
        PendingInvoiceItemsBehavior = "exclude",
        // Sent as "discounts=" (empty): the invoice does not inherit a coupon the customer has at Stripe.
        Discounts = [],
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
            await foreach (var line in invoiceLines.ListAutoPagingAsync(remoteId, new InvoiceLineItemListOptions { Limit = PageSize }, null, ct))
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
                    // Our amounts are final: no coupon (the customer's or the invoice's) applies to them.
                    Discountable = false,
                    Discounts = [],
                    Metadata = new Dictionary<string, string> { ["engine_line_id"] = line.Id },
                }, options, ct);
                return line.Id;
            }, cancellation);
            context.Checkpoint(r => r with { SentLines = [.. r.SentLines, line.Id] });
        }
    }

    /// <summary>Our invoice at Stripe when the customer is not known here: through the stored mapping, else the customer look-up.</summary>
    private static async Task<Stripe.Invoice?> FindRemoteAsync(
        StripeClient client, IPaymentStore store, ProviderAccount account, Invoice invoice, int revision, CancellationToken ct)
    {
        var customerId = store.FindProviderCustomer(invoice.Tenant, PaymentProvider.Stripe, invoice.Customer)?.ProviderCustomerId;
        if (customerId is null)
        {
            var settings = store.FindCustomerSettings(invoice.Tenant, invoice.Customer);
            var since = store.FindSync(SyncIds.Record(invoice.Tenant, invoice.Id, revision, SyncAction.Push))?.CreatedAt ?? DateTimeOffset.UnixEpoch;
            customerId = await FindCustomerAsync(new CustomerService(client), account.Tenant, invoice.Customer, settings?.Email, since, ct);
        }
        return customerId is null ? null : await FindRemoteAsync(new InvoiceService(client), customerId, invoice, revision, ct);
    }

    /// <summary>
    /// The customer's invoices, newest first, until the live one carrying our invoice id and revision in its
    /// metadata (a just-created draft is on the first page; an old one costs the pages of the invoices after it).
    /// </summary>
    private static async Task<Stripe.Invoice?> FindRemoteAsync(InvoiceService invoices, string customerId, Invoice invoice, int revision, CancellationToken ct)
    {
        var revisionText = revision.ToString(CultureInfo.InvariantCulture);
        await foreach (var candidate in invoices.ListAutoPagingAsync(new InvoiceListOptions { Customer = customerId, Limit = PageSize }, null, ct))
        {
            if (candidate.Status != "void" && Ours(candidate.Metadata, invoice) && candidate.Metadata.GetValueOrDefault("engine_revision") == revisionText) return candidate;
        }
        return null;
    }

    private static async Task<CreditNote?> FindCreditNoteAsync(CreditNoteService creditNotes, string invoiceId, Invoice note, CancellationToken ct)
    {
        await foreach (var candidate in creditNotes.ListAutoPagingAsync(new CreditNoteListOptions { Invoice = invoiceId, Limit = PageSize }, null, ct))
        {
            if (candidate.Status != "void" && Ours(candidate.Metadata, note)) return candidate;
        }
        return null;
    }

    private static bool Ours(Dictionary<string, string>? metadata, Invoice invoice) =>
        metadata is not null && metadata.GetValueOrDefault("engine_tenant") == invoice.Tenant && metadata.GetValueOrDefault("engine_invoice_id") == invoice.Id;

    /// <summary>A credit note's lines as the positive amounts Stripe credits (our credit note lines are negative).</summary>
    private static IReadOnlyList<PaymentLine> CreditLines(Invoice note)
    {
        var lines = PaymentLines.Of(note, PaymentProvider.Stripe).Select(l => l with { Amount = -l.Amount }).ToList();
        if (lines.Count == 0 || lines.Any(l => l.Amount <= 0))
        {
            throw new PaymentException($"credit note {note.Number ?? note.Id}: every line must credit a positive amount", FailureKind.Permanent);
        }
        return lines;
    }

    private static Dictionary<string, string> InvoiceMetadata(Invoice invoice, int revision)
    {
        var metadata = new Dictionary<string, string>
        {
            ["engine_tenant"] = invoice.Tenant,
            ["engine_invoice_id"] = invoice.Id,
            ["engine_invoice_number"] = invoice.Number ?? "",
            ["engine_revision"] = revision.ToString(CultureInfo.InvariantCulture),
        };
        if (invoice.Corrects is { } corrects) metadata["engine_corrects"] = corrects;
        return metadata;
    }

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

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
