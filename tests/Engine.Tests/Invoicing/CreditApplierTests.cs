using RulesBilling.Engine.Credits;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Invoicing;

public sealed class CreditApplierTests
{
    private static readonly DateTimeOffset At = Feb1.AddHours(1);

    internal static CreditGrant Grant(string id, decimal amount, int priority = 1, DateTimeOffset? expires = null,
        DateTimeOffset? granted = null, string currency = "USD") =>
        new("default", id, "acme", currency, amount, priority, granted ?? Jan1, expires, null);

    private static CreditApplicationResult Apply(decimal subtotal, params CreditGrant[] grants) =>
        CreditApplier.Apply("default", "acme", "inv_1", grants.Select(g => new GrantBalance(g, g.Amount)).ToList(),
            subtotal, "USD", Feb1, At);

    [Fact]
    public void Consumption_order_is_priority_then_expiry_then_age()
    {
        // priority 1 first: D (expires Feb 15) → B (expires Mar 1) → C (no expiry); then A (priority 2).
        // subtotal 80.00: D 20.00, B 50.00, C 10.00 (of 30.00); A untouched; total 0.00
        var result = Apply(80m,
            Grant("A", 50m, priority: 2),
            Grant("B", 50m, expires: new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)),
            Grant("C", 30m),
            Grant("D", 20m, expires: new DateTimeOffset(2026, 2, 15, 0, 0, 0, TimeSpan.Zero), granted: Jan1.AddDays(10)));

        Assert.Equal([("D", 20m), ("B", 50m), ("C", 10m)], result.Applications.Select(a => (a.GrantId, a.Amount)));
        Assert.Equal(80m, result.CreditsApplied);
        Assert.Equal(0m, result.Total);
        Assert.Equal([0m, 0m, 20m], result.LedgerEntries.Select(e => e.BalanceAfter));
        Assert.All(result.LedgerEntries, e =>
        {
            Assert.Equal(CreditLedgerKinds.Consumption, e.Kind);
            Assert.Equal("inv_1", e.InvoiceId);
            Assert.Equal(At, e.At);
            Assert.True(e.Amount < 0m);
        });
    }

    [Fact]
    public void Oldest_grant_first_then_id()
    {
        // same priority and expiry: Z granted Jan 1 before A granted Jan 2; X and Y granted together → by id.
        var result = Apply(4m, Grant("A", 1m, granted: Jan1.AddDays(1)), Grant("Z", 1m), Grant("Y", 1m, granted: Jan1.AddDays(1)), Grant("X", 1m, granted: Jan1.AddDays(1)));
        Assert.Equal(["Z", "A", "X", "Y"], result.Applications.Select(a => a.GrantId));
    }

    [Fact]
    public void Grant_expiring_at_the_period_end_is_not_used()
    {
        var result = Apply(10m, Grant("expired", 10m, expires: Feb1), Grant("live", 4m, expires: Feb1.AddTicks(1)));
        Assert.Equal([("live", 4m)], result.Applications.Select(a => (a.GrantId, a.Amount)));
        Assert.Equal(6m, result.Total);
    }

    [Fact]
    public void Grant_in_another_currency_is_not_used()
    {
        var result = Apply(10m, Grant("eur", 10m, currency: "EUR"));
        Assert.Empty(result.Applications);
        Assert.Equal(10m, result.Total);
    }

    [Fact]
    public void Credits_never_take_the_total_below_zero()
    {
        // subtotal 30.00, grant 100.00 → 30.00 used, 70.00 left, total 0.00
        var result = Apply(30m, Grant("big", 100m));
        Assert.Equal(30m, result.CreditsApplied);
        Assert.Equal(0m, result.Total);
        Assert.Equal(70m, Assert.Single(result.LedgerEntries).BalanceAfter);
    }

    [Fact]
    public void Nothing_is_applied_to_a_zero_or_negative_subtotal()
    {
        Assert.Empty(Apply(0m, Grant("g", 10m)).Applications);
        var credit = Apply(-5m, Grant("g", 10m));
        Assert.Empty(credit.Applications);
        Assert.Equal(-5m, credit.Total);
    }

    [Fact]
    public void Balances_come_from_the_ledger()
    {
        // 100.00 granted (the informational grant entry is ignored), −30.00 consumed, +5.00 reversed → 75.00
        var grant = Grant("g", 100m);
        var ledger = new[]
        {
            new CreditLedgerEntry("default", "l1", "acme", "g", "USD", 100m, 100m, CreditLedgerKinds.Grant, null, Jan1),
            new CreditLedgerEntry("default", "l2", "acme", "g", "USD", -30m, 70m, CreditLedgerKinds.Consumption, "inv_0", Jan1.AddDays(3)),
            new CreditLedgerEntry("default", "l3", "acme", "g", "USD", 5m, 75m, CreditLedgerKinds.Reversal, "inv_0", Jan1.AddDays(4)),
            new CreditLedgerEntry("default", "l4", "acme", "other", "USD", -1m, 0m, CreditLedgerKinds.Consumption, "inv_0", Jan1.AddDays(4)),
        };
        Assert.Equal(75m, Assert.Single(CreditApplier.Balances([grant], ledger)).Balance);
    }

    [Fact]
    public void Only_whole_minor_units_of_a_balance_are_spent()
    {
        // balance 10.005 → 10.00 usable
        var result = CreditApplier.Apply("default", "acme", "inv_1", [new GrantBalance(Grant("g", 10.005m), 10.005m)], 50m, "USD", Feb1, At);
        Assert.Equal(10.00m, result.CreditsApplied);
        Assert.Equal(40.00m, result.Total);
    }

    [Fact]
    public void Apply_to_invoice_sets_credits_and_total()
    {
        // subtotal 119.00 − 19.00 credit = 100.00
        var invoice = InvoiceFixtures.Assemble(InvoiceFixtures.Segment(Plan([Charge("r", Unit(2m))], baseFee: 99m), Many("r", 10)));
        var credited = CreditApplier.ApplyTo(invoice, [new GrantBalance(Grant("g", 19m), 19m)], At);
        Assert.Equal(19m, credited.Invoice.CreditsApplied);
        Assert.Equal(100m, credited.Invoice.Total);
        Assert.Equal(119m, credited.Invoice.Subtotal);
        Assert.Equal("g", Assert.Single(credited.Invoice.Credits).GrantId);
        Assert.Equal(invoice.Id, Assert.Single(credited.LedgerEntries).InvoiceId);
    }

    [Fact]
    public void Grant_of_another_customer_is_refused() =>
        Assert.Throws<ArgumentException>(() => CreditApplier.Apply("default", "other", "inv_1",
            [new GrantBalance(Grant("g", 1m), 1m)], 5m, "USD", Feb1, At));
}
