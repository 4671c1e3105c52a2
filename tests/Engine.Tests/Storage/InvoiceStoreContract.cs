using System.Globalization;
using RulesBilling.Engine.Invoicing;
using static RulesBilling.Engine.Tests.Storage.StoreSamples;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>What every backend's <see cref="IInvoiceStore"/> must do: invoices round trip exactly (decimals, instants, exclusions, taxes), replace by id, list in order, gap-free numbers per tenant.</summary>
public abstract class InvoiceStoreContract<TBackend> : StoreContract<TBackend> where TBackend : IStoreBackend, new()
{
    [Fact]
    public void Invoices_round_trip_with_exact_decimals_and_utc_times()
    {
        var invoice = Invoice("inv-1");
        Store.SaveInvoice(invoice);

        var found = Store.FindInvoice("t1", "inv-1");

        Assert.NotNull(found);
        var expected = invoice with
        {
            Lines = invoice.Lines.Select(l => l with { SegmentFrom = l.SegmentFrom.ToUniversalTime() }).ToList(),
        };
        Assert.Equal(Json(expected), Json(found));
        var line = found.Lines[0];
        Assert.Equal("1234.5000", line.Quantity.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("0.0000000000000000000000000001", line.UnitPrice!.Value.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(decimal.MaxValue, line.Amount);
        Assert.Equal("1.10", line.Tiers[0].UnitPrice.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("1021.050", line.Tiers[1].Amount.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("0.00", line.Attribution[1].Amount.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), line.SegmentFrom);
        Assert.Equal(TimeSpan.Zero, line.SegmentFrom.Offset);
        Assert.Equal("1030.95", found.Total.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Invoice_level_exclusions_round_trip_and_an_invoice_without_them_reads_back_with_none()
    {
        var excluded = Invoice("inv-1") with
        {
            Excluded =
            [
                new InvoiceExclusion("escalation", "s/e1", "no-matching-charge", "no charge of pricing 'v1' matches its dimensions"),
                new InvoiceExclusion("escalation", "s/e2", "duplicate-key", null),
            ],
        };
        Store.SaveInvoice(excluded);
        Store.SaveInvoice(Invoice("inv-2"));

        Assert.Equal(excluded.Excluded, Store.FindInvoice("t1", "inv-1")!.Excluded);
        Assert.Equal(Json(excluded with { Lines = Store.FindInvoice("t1", "inv-1")!.Lines }), Json(Store.FindInvoice("t1", "inv-1")));
        Assert.Empty(Store.FindInvoice("t1", "inv-2")!.Excluded);
    }

    [Fact]
    public void Invoice_and_line_taxes_round_trip_and_an_untaxed_invoice_reads_back_with_none()
    {
        var plain = Invoice("inv-1");
        var taxed = plain with
        {
            Id = "inv-2",
            Lines = plain.Lines.Select((l, i) => l with { Taxes = [new LineTax("gb_vat", i == 0 ? 20.00m : -7.80m), new LineTax("levy", 0.10m)] }).ToList(),
            Taxes = [new InvoiceTax("gb_vat", "VAT", 0.20m, false, "GB", 156.00m, 12.20m), new InvoiceTax("levy", "Levy", 0.0050m, false, null, 156.00m, 0.20m)],
        };
        Store.SaveInvoice(plain);
        Store.SaveInvoice(taxed);

        var found = Store.FindInvoice("t1", "inv-2")!;

        Assert.Equal(taxed.Taxes, found.Taxes);
        Assert.Equal("0.0050", found.Taxes[1].Rate.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(taxed.Lines.Select(l => l.Taxes), found.Lines.Select(l => l.Taxes));
        Assert.Equal(Json(taxed with { Lines = found.Lines }), Json(found));
        var untaxed = Store.FindInvoice("t1", "inv-1")!;
        Assert.Empty(untaxed.Taxes);
        Assert.All(untaxed.Lines, l => Assert.Empty(l.Taxes));
    }

    [Fact]
    public void SaveInvoice_replaces_the_invoice_with_the_same_id()
    {
        Store.SaveInvoice(Invoice("inv-1") with { Status = InvoiceStatus.Draft, Number = null });
        Store.SaveInvoice(Invoice("inv-1") with { Status = InvoiceStatus.Finalized, Number = "INV-000007" });

        var all = Store.ListInvoices("t1");
        Assert.Single(all);
        Assert.Equal(InvoiceStatus.Finalized, all[0].Status);
        Assert.Equal("INV-000007", all[0].Number);
    }

    [Fact]
    public void ListInvoices_filters_by_customer_and_orders_by_period_then_id()
    {
        Store.SaveInvoice(Invoice("inv-b", month: 4));
        Store.SaveInvoice(Invoice("inv-c", month: 3));
        Store.SaveInvoice(Invoice("inv-a", month: 4));
        Store.SaveInvoice(Invoice("inv-x", customer: "cust-2", month: 5));

        Assert.Equal(["inv-c", "inv-a", "inv-b", "inv-x"], Store.ListInvoices("t1").Select(i => i.Id));
        Assert.Equal(["inv-x"], Store.ListInvoices("t1", "cust-2").Select(i => i.Id));
        Assert.Null(Store.FindInvoice("t1", "missing"));
    }

    [Fact]
    public void Invoice_numbers_are_gap_free_per_tenant()
    {
        Assert.Equal(1, Store.NextInvoiceNumber("t1"));
        Assert.Equal(2, Store.NextInvoiceNumber("t1"));
        Assert.Equal(1, Store.NextInvoiceNumber("t2"));
        Assert.Equal(3, Store.NextInvoiceNumber("t1"));
    }
}
