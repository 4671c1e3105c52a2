using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Rating;
using static RulesBilling.Engine.Tests.Invoicing.InvoiceFixtures;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Invoicing;

public sealed class InvoiceProperties
{
    private static readonly DateTimeOffset Jan15 = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A two-version invoice (split at Jan 15) with a tiered charge, a unit charge with a split and dimensions, base,
    /// minimum and cap; outcome n is billable n × 174 minutes into January (all inside the month).
    /// </summary>
    private static InvoiceRequest Scenario(int count, int priceMills, int baseCents, int capCents, int minimumCents, string currency, bool reversed)
    {
        var scale = currency == "JPY" ? 1m : 100m;
        var plan = Plan(
            [
                Charge("call", Tiered(TierModeKind.Graduated, currency, (50m, priceMills / 1000m), (null, priceMills / 2000m)), currency: currency),
                Charge("ticket", Unit(priceMills / 1000m, currency), free: 3m, currency: currency),
            ],
            baseFee: baseCents / scale, minimum: minimumCents / scale, cap: capCents % 2 == 0 ? capCents / scale : null, currency: currency);
        var outcomes = Enumerable.Range(1, count).Select(n => Outcome(
            n % 3 == 0 ? "ticket" : "call", n, quantity: 1 + n % 4, at: Jan1.AddMinutes(n * 174),
            dimensions: new Dictionary<string, string?> { ["team"] = n % 5 == 0 ? null : $"t{n % 3}" },
            split: n % 3 == 0 ? [new SplitAllocationShare("credit", "ai", 0.7m), new SplitAllocationShare("credit", "human", 0.3m)] : []))
            .ToList();
        if (reversed) outcomes.Reverse();
        InvoiceSegment Part(DateTimeOffset from, DateTimeOffset to, int version) => new(
            Version(version, DateOnly.FromDateTime(from.UtcDateTime), currency), plan, from, to,
            outcomes.Where(o => o.BillableAt >= from && o.BillableAt < to).ToList(),
            [new ExcludedEvent($"test/x{version}", "call", ExclusionReasons.DuplicateKey, null)], []);
        InvoiceSegment[] segments = [Part(Jan1, Jan15, 1), Part(Jan15, Feb1, 2)];
        if (reversed) Array.Reverse(segments);
        return Request(currency, segments);
    }

    [Property]
    public bool Subtotal_is_the_sum_of_lines_and_total_is_subtotal_minus_credits(
        byte count, PositiveInt priceMills, NonNegativeInt baseCents, NonNegativeInt capCents, NonNegativeInt minimumCents,
        NonNegativeInt[] grants, bool yen)
    {
        var currency = yen ? "JPY" : "USD";
        var invoice = InvoiceAssembler.Assemble(Scenario(count, priceMills.Get % 100_000, baseCents.Get % 1_000_000,
            capCents.Get % 100_000, minimumCents.Get % 100_000, currency, reversed: false));
        var balances = grants.Select((g, i) =>
            new GrantBalance(new CreditGrant("default", $"g{i}", "acme", currency, g.Get % 50_000, i % 3, Jan1, null, null), g.Get % 50_000)).ToList();
        var credited = CreditApplier.ApplyTo(invoice, balances, Feb1).Invoice;

        return invoice.Subtotal == invoice.Lines.Sum(l => l.Amount)
            && invoice.Lines.All(l => CurrencyMath.IsRounded(l.Amount, currency))
            && credited.Total == credited.Subtotal - credited.CreditsApplied
            && credited.CreditsApplied == credited.Credits.Sum(c => c.Amount)
            && credited.CreditsApplied >= 0m && credited.Total >= 0m;
    }

    [Property]
    public bool Attribution_of_each_dimension_sums_to_the_line(byte count, PositiveInt priceMills)
    {
        var invoice = InvoiceAssembler.Assemble(Scenario(count, priceMills.Get % 100_000, 0, 1, 0, "USD", reversed: false));
        return invoice.Lines.Where(l => l.Attribution.Count > 0).All(line =>
            line.Attribution.GroupBy(a => a.Dimension).All(d => d.Sum(a => a.Amount) == line.Amount));
    }

    [Property]
    public bool Same_inputs_give_byte_identical_json(byte count, PositiveInt priceMills, NonNegativeInt baseCents, bool yen)
    {
        var currency = yen ? "JPY" : "USD";
        byte[] Render(bool reversed) => InvoiceJson.SerializeToUtf8Bytes(InvoiceAssembler.Assemble(
            Scenario(count, priceMills.Get % 100_000, baseCents.Get % 1_000_000, 500_00, 100_00, currency, reversed)));
        return Render(false).AsSpan().SequenceEqual(Render(true));
    }

    /// <summary>Grant i is derived from one seed: amount, priority, expiry kind, grant day and currency.</summary>
    private static CreditGrant GrantFrom(int index, int seed)
    {
        seed = Math.Abs(seed % 10_000_000);
        DateTimeOffset? expires = (seed / 15_000 % 4) switch
        {
            0 => null,
            1 => Feb1,                              // expires exactly at the period end → unusable
            2 => Jan15,                             // expired before → unusable
            _ => Feb1.AddDays(1 + seed % 7),
        };
        return new CreditGrant("default", $"g{index:D3}", "acme", seed / 300_000 % 5 == 0 ? "EUR" : "USD",
            seed % 5_000 / 100m, seed / 5_000 % 3, Jan1.AddDays(seed / 60_000 % 5), expires, null);
    }

    [Property]
    public bool Credits_follow_the_documented_order_and_never_go_negative(int[] seeds, NonNegativeInt subtotalCents)
    {
        var grants = seeds.Select((s, i) => GrantFrom(i, s)).ToList();
        var subtotal = subtotalCents.Get % 20_000 / 100m;
        var result = CreditApplier.Apply("default", "acme", "inv_1",
            grants.Select(g => new GrantBalance(g, g.Amount)).ToList(), subtotal, "USD", Feb1, Feb1);

        // Oracle: usable grants sorted by (priority, has-no-expiry, expiry, granted, id), each drained in turn.
        var expected = new List<(string, decimal)>();
        var remaining = subtotal;
        foreach (var g in grants
                     .Where(g => g.Currency == "USD" && g.Amount > 0m && (g.ExpiresAt is null || g.ExpiresAt > Feb1))
                     .OrderBy(g => (g.Priority, g.ExpiresAt is null, g.ExpiresAt ?? DateTimeOffset.MaxValue, g.GrantedAt))
                     .ThenBy(g => g.Id, StringComparer.Ordinal))
        {
            if (remaining == 0m) break;
            var take = Math.Min(g.Amount, remaining);
            expected.Add((g.Id, take));
            remaining -= take;
        }

        return result.Applications.Select(a => (a.GrantId, a.Amount)).SequenceEqual(expected)
            && result.Applications.All(a => a.Amount > 0m)
            && result.LedgerEntries.All(e => e.BalanceAfter >= 0m && e.Amount < 0m)
            && result.CreditsApplied <= subtotal
            && result.Total == subtotal - result.CreditsApplied
            && result.Total >= 0m;
    }
}
