using System.Globalization;
using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Engine.Accounting;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Periods.PeriodRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>Invariants of threshold billing (docs/dsl-spec.md §10.9) over random event streams and schedules.</summary>
public sealed class ThresholdBillingProperties
{
    private const string Graduated = "graduated {\n      up to 20 at 3 USD\n      rest at 1.25 USD\n    }";

    /// <summary>Events of March 2026 (or of <paramref name="month"/>): (day 1..28, hour, units 1..40).</summary>
    private static string[] Events(byte[][] raw, int month = 3) => raw.Take(25).Select((e, n) =>
        Task(month == 3 ? $"e{n}" : $"m{month}e{n}", "acme", new DateTimeOffset(2026, month, 1 + (e.Length > 0 ? e[0] % 28 : 0), e.Length > 1 ? e[1] % 24 : 0, 0, 0, TimeSpan.Zero)
            .ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), 1 + (e.Length > 2 ? e[2] % 40 : 0))).ToArray();

    /// <summary>1–3 ascending thresholds (in whole USD), optionally then every N.</summary>
    private static string Schedule(byte[] steps, byte every)
    {
        var amounts = new List<int>();
        var at = 0;
        foreach (var step in steps.Take(3).DefaultIfEmpty((byte)40))
        {
            at += 5 + step;
            amounts.Add(at);
        }
        var clause = "thresholds " + string.Join(", ", amounts.Select(a => a.ToString(CultureInfo.InvariantCulture) + " USD"));
        return every % 3 == 0 ? clause : clause + $" then every {10 + every} USD";
    }

    [Property(MaxTest = 40)]
    public bool Threshold_invoices_and_the_netted_invoice_bill_exactly_the_invoice_without_thresholds(byte[][] raw, byte[] steps, byte every, bool graduated)
    {
        var events = Events(raw);
        if (events.Length == 0) return true;
        var model = graduated ? Graduated : "unit 2.35 USD";
        var with = Bill(Compile(ThresholdBillingTests.Rules(Schedule(steps, every), model)), events);
        var without = Assert.Single(Bill(Compile(ThresholdBillingTests.Rules("", model)), events));

        var thresholds = with.Where(i => i.Kind == InvoiceKind.Threshold).ToList();
        var period = Assert.Single(with, i => i.Kind == InvoiceKind.Invoice);
        var indices = thresholds.Select(i => i.Threshold!.Index).ToList();
        var amounts = thresholds.SelectMany(i => i.Threshold!.Amounts).ToList();
        return thresholds.Sum(i => i.Subtotal) + period.Subtotal == without.Subtotal
               && thresholds.All(i => i.Subtotal > 0m && i.Subtotal == i.Lines.Sum(l => l.Amount))
               && period.Subtotal == period.Lines.Sum(l => l.Amount)
               // Each threshold at most once, in ascending order, and each reached when its invoice was issued.
               && indices.SequenceEqual(indices.Distinct().Order())
               && amounts.SequenceEqual(amounts.Distinct().Order())
               && thresholds.All(i => i.Threshold!.UsageAmount >= i.Threshold.Amounts[^1])
               && (thresholds.Count == 0) == period.Lines.All(l => l.Kind != LineKind.ThresholdCredit);
    }

    private static readonly string[] Coupons = ["percent 15%\n  forever", "amount 25 USD\n  forever", "percent 100%\n  forever"];
    private static readonly string[] TaxRates = ["rate 19% exclusive", "rate 7.7% inclusive", "rate 0.5% exclusive"];

    [Property(MaxTest = 40)]
    public bool With_coupons_taxes_and_either_basis_the_documents_bill_the_invoice_without_thresholds_per_tax_and_in_total(
        byte[][] raw, byte[] steps, byte every, bool graduated, byte coupon, byte tax, bool total)
    {
        var events = Events(raw);
        if (events.Length == 0) return true;
        var model = graduated ? Graduated : "unit 2.35 USD";
        var (c, t) = (Coupons[coupon % Coupons.Length], TaxRates[tax % TaxRates.Length]);
        var with = Bill(Compile(ThresholdAdjustmentTests.Rules(Schedule(steps, every) + (total ? " on total" : ""), c, t, model)), events);
        var without = Assert.Single(Bill(Compile(ThresholdAdjustmentTests.Rules("", c, t, model)), events));

        var thresholds = with.Where(i => i.Kind == InvoiceKind.Threshold).ToList();
        var period = Assert.Single(with, i => i.Kind == InvoiceKind.Invoice);
        var taxed = with.All(i => i.Taxes.Count == 1 && i.Taxes[0].Amount == i.Lines.Sum(l => l.Taxes.Sum(x => x.Amount)));
        return with.Sum(i => i.Total) == without.Total
               && with.Sum(i => i.Taxes[0].Amount) == without.Taxes[0].Amount
               && with.Sum(i => i.Taxes[0].Taxable) == without.Taxes[0].Taxable
               && with.Sum(DocumentTax.Payable) == DocumentTax.Payable(without)
               && taxed
               && with.All(i => i.Subtotal == i.Lines.Sum(l => l.Amount))
               // A coupon never makes a document negative; a threshold invoice carries the usage it reached.
               && with.All(i => i.Total >= 0m)
               && thresholds.All(i => i.Threshold!.UsageAmount >= i.Threshold.Amounts[^1])
               && (thresholds.Count == 0) == period.Lines.All(l => l.Kind != LineKind.ThresholdCredit);
    }

    /// <summary>
    /// A fixed <c>once</c> coupon larger than March carries into April (§9.14.1): April's threshold invoices spend what
    /// March left of it, as April's invoice does, so in each period the documents still bill that period's invoice
    /// without thresholds, per tax and in total, and none goes negative.
    /// </summary>
    [Property(MaxTest = 30)]
    public bool With_a_carried_once_coupon_each_periods_documents_bill_its_invoice_without_thresholds(
        byte[][] march, byte[][] april, byte[] steps, byte every, bool graduated, byte coupon, byte tax, bool total)
    {
        var events = Events(march).Concat(Events(april, 4)).ToArray();
        if (events.Length == 0) return true;
        var model = graduated ? Graduated : "unit 2.35 USD";
        var (c, t) = ($"amount {50 + coupon * 4} USD\n  once", TaxRates[tax % TaxRates.Length]);
        var with = Bill(Compile(ThresholdAdjustmentTests.Rules(Schedule(steps, every) + (total ? " on total" : ""), c, t, model)), events);
        var without = Bill(Compile(ThresholdAdjustmentTests.Rules("", c, t, model)), events);

        return without.Count == with.Count(i => i.Kind == InvoiceKind.Invoice)
               && without.All(w =>
               {
                   var documents = with.Where(i => i.PeriodFrom == w.PeriodFrom).ToList();
                   return documents.Sum(i => i.Total) == w.Total
                          && documents.Sum(i => i.Taxes[0].Amount) == w.Taxes[0].Amount
                          && documents.Sum(i => i.Taxes[0].Taxable) == w.Taxes[0].Taxable;
               })
               && with.All(i => i.Total >= 0m && i.Subtotal == i.Lines.Sum(l => l.Amount));
    }

    /// <summary>
    /// The instant a threshold invoice names is the first at which the amount reached its thresholds: the events before
    /// it do not reach them, the events up to it do. It pins the search for the crossing (bisection where the amount
    /// only grows) to what reading every instant in time order gives.
    /// </summary>
    [Property(MaxTest = 25)]
    public bool Each_threshold_invoice_is_issued_at_the_first_instant_that_reaches_it(byte[][] raw, byte[] steps, byte every, bool graduated)
    {
        var events = Events(raw);
        if (events.Length == 0) return true;
        var rules = Compile(ThresholdBillingTests.Rules(Schedule(steps, every), graduated ? Graduated : "unit 2.35 USD"));
        var times = events.Select(e => DateTimeOffset.Parse(System.Text.Json.JsonDocument.Parse(e).RootElement.GetProperty("time").GetString()!, CultureInfo.InvariantCulture)).ToList();
        var thresholds = Bill(rules, events).Where(i => i.Kind == InvoiceKind.Threshold).ToList();
        return thresholds.All(d =>
        {
            var before = Bill(rules, events.Where((_, n) => times[n] < d.Threshold!.CrossedAt).ToArray())
                .Where(i => i.Kind == InvoiceKind.Threshold).Select(i => i.Threshold!.Index).DefaultIfEmpty(-1).Max();
            var upTo = Bill(rules, events.Where((_, n) => times[n] <= d.Threshold!.CrossedAt).ToArray())
                .Where(i => i.Kind == InvoiceKind.Threshold).Select(i => i.Threshold!.Index).DefaultIfEmpty(-1).Max();
            return before < d.Threshold!.Index - d.Threshold.Amounts.Count + 1 && upTo >= d.Threshold.Index;
        });
    }

    [Property(MaxTest = 15)]
    public bool Checks_at_any_instants_issue_the_documents_of_the_dry_run(byte[][] raw, byte[] steps, byte every, byte[] checks)
    {
        var events = Events(raw);
        if (events.Length == 0) return true;
        var rules = Compile(ThresholdBillingTests.Rules(Schedule(steps, every)));
        var expected = Bill(rules, events);

        using var store = new InMemoryBillingStore();
        var clock = new TestClock(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        new EventIngestor(store, clock).Ingest(Tenant.Default, "[" + string.Join(",", events) + "]", rules);
        var engine = new UseCases(store, new FixedRuleSet(rules), clock);
        foreach (var hour in checks.Take(5).Select(c => (int)c).Order())
        {
            clock.Now = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).AddHours(hour * 2.6);
            engine.IssueThresholdInvoices(Tenant.Default, "acme");
        }
        clock.Now = new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero);
        engine.Finalize(Tenant.Default, "acme", new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

        var issued = store.ListInvoices(Tenant.Default, "acme").OrderBy(i => i.Number, StringComparer.Ordinal).ToList();
        return issued.Select(i => (i.Kind, i.Id, i.Subtotal)).SequenceEqual(expected.Select(i => (i.Kind, i.Id, i.Subtotal)));
    }
}
