using System.Globalization;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Payments.Fakes;
using RulesBilling.Engine.Tests.Storage;

namespace RulesBilling.Engine.Tests.Payments;

/// <summary>
/// A billing store (in memory, or LiteDB that can be closed and reopened like a restarted process) with its payment
/// store, both fake providers, tenant credentials pointing at them, and finalized sample invoices.
/// </summary>
internal sealed class PaymentHarness : IDisposable
{
    public const string Tenant = "t1";
    public const string StripeKey = "sk_test_fake";
    public const string RazorpayKeyId = "rzp_test_fake";
    public const string RazorpaySecret = "rzp_secret_fake";
    public const string WebhookSecret = "whsec_fake";

    private readonly TempDirectory? _directory;
    private readonly HttpClient _http;
    private IBillingStore _billing;

    public PaymentHarness(bool liteDb = false, TimeSpan? requestTimeout = null)
    {
        _http = new HttpClient { Timeout = requestTimeout ?? TimeSpan.FromSeconds(1) };
        Stripe.TimeoutDelay = Razorpay.TimeoutDelay = _http.Timeout * 2;
        if (liteDb) _directory = new TempDirectory();
        (_billing, Payments) = Open();
        Payments.SaveAccount(new ProviderAccount(Tenant, PaymentProvider.Stripe, StripeKey, null, WebhookSecret, Stripe.BaseUrl));
        Payments.SaveAccount(new ProviderAccount(Tenant, PaymentProvider.Razorpay, RazorpayKeyId, RazorpaySecret, WebhookSecret, Razorpay.BaseUrl));
    }

    public FakeStripe Stripe { get; } = new(StripeKey);
    public FakeRazorpay Razorpay { get; } = new(RazorpayKeyId, RazorpaySecret);
    public IBillingStore Billing => _billing;
    public IPaymentStore Payments { get; private set; }
    public ManualClock Time { get; } = new(new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero));

    public static readonly RetryOptions FastRetries = new(6, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20));

    public FakeServer Fake(PaymentProvider provider) => provider == PaymentProvider.Stripe ? Stripe : Razorpay;

    public SyncWorker Worker(RetryOptions? retry = null, DunningSchedule? dunning = null) =>
        new(_billing, Payments, _http, Time, retry ?? FastRetries, dunning: dunning);

    /// <summary>Closes and reopens the LiteDB file: everything not committed is gone, as after kill -9.</summary>
    public void Restart()
    {
        if (_directory is null) throw new InvalidOperationException("only a LiteDB harness can restart");
        _billing.Dispose();
        (_billing, Payments) = Open();
    }

    /// <summary>Points the customer at a provider, with an email unless told otherwise (Razorpay needs an email or a contact).</summary>
    public void UseProvider(string customer, PaymentProvider provider, string? name = null, string? email = "billing@example.test", string? contact = null) =>
        Payments.SaveCustomerSettings(new CustomerPaymentSettings(Tenant, customer, provider, name, email, contact));

    /// <summary>Saves a finalized invoice and its outbox row in one transaction, as UseCases.Finalize does.</summary>
    public Invoice Finalize(Invoice invoice) => _billing.InTransaction(tx =>
    {
        tx.SaveInvoice(invoice);
        new PaymentOutbox(Time).Finalized(tx, invoice);
        return invoice;
    });

    public Invoice Void(Invoice invoice) => _billing.InTransaction(tx =>
    {
        var voided = invoice with { Status = InvoiceStatus.Void };
        tx.SaveInvoice(voided);
        new PaymentOutbox(Time).Voided(tx, voided);
        return voided;
    });

    public SyncRecord Push(Invoice invoice) => Payments.FindSync(SyncIds.Record(Tenant, invoice.Id, 1, SyncAction.Push))!;

    /// <summary>A finalized invoice with the given line amounts (major units) and credits applied.</summary>
    public static Invoice Sample(string customer, string currency, int number, decimal[] lines, decimal credits = 0m)
    {
        var from = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var invoiceLines = lines.Select((amount, i) => new InvoiceLine(
            $"line-{number}-{i}", i == 0 ? LineKind.Base : LineKind.Charge, i == 0 ? "Base fee" : $"Charge {i}", "rule", "standard", 1, "hash",
            from, from.AddMonths(1), 1m, amount, amount, [], [], [], [], null)).ToList();
        var subtotal = lines.Sum();
        return new Invoice($"inv-{customer}-{number}", "INV-" + number.ToString("D6", CultureInfo.InvariantCulture), InvoiceKind.Invoice, null,
            Tenant, customer, "standard", [1], currency, from, from.AddMonths(1), InvoiceStatus.Finalized, invoiceLines,
            subtotal, credits, subtotal - credits, [], credits == 0m ? [] : [new CreditApplication("grant-1", credits)], "ruleset");
    }

    /// <summary>
    /// A finalized correction of <paramref name="original"/> as CorrectionBuilder issues it: a credit note (negative
    /// amounts) or an adjustment (positive), each line keeping the id of the original line it corrects.
    /// </summary>
    public static Invoice Correction(Invoice original, InvoiceKind kind, int number, int sequence, params decimal[] amounts)
    {
        var lines = amounts.Select((amount, i) => original.Lines[i] with
        {
            Kind = LineKind.Correction, Description = "Correction: " + original.Lines[i].Description, Amount = amount, Quantity = 0m,
        }).ToList();
        var total = lines.Sum(l => l.Amount);
        return original with
        {
            Id = $"{(kind == InvoiceKind.CreditNote ? "cn" : "adj")}-{original.Id}-{sequence.ToString(CultureInfo.InvariantCulture)}",
            Number = "INV-" + number.ToString("D6", CultureInfo.InvariantCulture), Kind = kind, Corrects = original.Id, Lines = lines,
            Subtotal = total, CreditsApplied = 0m, Total = total, Credits = [],
        };
    }

    private (IBillingStore, IPaymentStore) Open()
    {
        if (_directory is null)
        {
            var memory = new InMemoryBillingStore();
            return (memory, new InMemoryPaymentStore(memory));
        }
        var file = new LiteDbBillingStore(_directory.File("billing.db"));
        return (file, new LiteDbPaymentStore(file));
    }

    public void Dispose()
    {
        _billing.Dispose();
        _http.Dispose();
        Stripe.Dispose();
        Razorpay.Dispose();
        _directory?.Dispose();
    }

    /// <summary>Stands still unless a test moves it.</summary>
    public sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
