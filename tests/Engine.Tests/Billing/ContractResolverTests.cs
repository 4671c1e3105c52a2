using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using static RulesBilling.Engine.Tests.Billing.Contracts;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

public class ContractResolverTests
{
    private static readonly IReadOnlyList<ContractVersion> Book =
    [
        Version("standard", 1, "2026-01-01"),
        Version("standard", 2, "2026-03-11"),
        Version("enterprise", 1, "2026-02-01", until: "2026-06-01", customers: ["acme", "initech"]),
    ];

    [Fact]
    public void Explicit_customer_lists_win_over_the_default_contract_while_in_force()
    {
        Assert.Equal(("standard", 1), Key(ContractResolver.Resolve(Book, "acme", At("2026-01-15T00:00:00Z"))));
        Assert.Equal(("enterprise", 1), Key(ContractResolver.Resolve(Book, "acme", At("2026-02-01T00:00:00Z"))));
        Assert.Equal(("standard", 2), Key(ContractResolver.Resolve(Book, "globex", At("2026-03-11T00:00:00Z"))));
        Assert.Equal(("standard", 1), Key(ContractResolver.Resolve(Book, "globex", At("2026-03-10T23:59:59Z"))));
        Assert.Equal(("standard", 2), Key(ContractResolver.Resolve(Book, "acme", At("2026-06-01T00:00:00Z"))));
    }

    [Fact]
    public void Nothing_governs_before_the_first_effective_date_or_after_until()
    {
        IReadOnlyList<ContractVersion> book = [Version("pilot", 1, "2026-02-01", until: "2026-03-01")];
        Assert.Null(ContractResolver.Resolve(book, "acme", At("2026-01-31T23:59:59Z")));
        Assert.Null(ContractResolver.Resolve(book, "acme", At("2026-03-01T00:00:00Z")));
        Assert.Null(ContractResolver.PeriodAt(book, "acme", At("2026-03-05T00:00:00Z")));
    }

    [Fact]
    public void A_mid_period_version_change_splits_the_period_into_prorated_segments()
    {
        var period = ContractResolver.PeriodAt(Book, "globex", At("2026-03-20T00:00:00Z"))!;

        Assert.Equal("standard", period.Contract);
        Assert.Equal(new BillingPeriodRange(At("2026-03-01T00:00:00Z"), At("2026-04-01T00:00:00Z")), period.Period);
        Assert.Equal(
        [
            (1, At("2026-03-01T00:00:00Z"), At("2026-03-11T00:00:00Z"), 10m / 31m),
            (2, At("2026-03-11T00:00:00Z"), At("2026-04-01T00:00:00Z"), 21m / 31m),
        ], period.Segments.Select(s => (s.Version.Version, s.Range.From, s.Range.To, s.Fraction)));
        Assert.Equal(1m, Math.Round(period.Segments.Sum(s => s.Fraction), 20));
    }

    [Fact]
    public void A_period_without_a_version_change_is_one_full_segment()
    {
        var period = ContractResolver.PeriodAt(Book, "globex", At("2026-04-20T00:00:00Z"))!;
        var segment = Assert.Single(period.Segments);
        Assert.Equal((2, 1m), (segment.Version.Version, segment.Fraction));
    }

    [Fact]
    public void A_customer_moving_to_another_contract_gets_a_partial_period_of_each()
    {
        IReadOnlyList<ContractVersion> book =
        [
            Version("standard", 1, "2026-01-01"),
            Version("enterprise", 1, "2026-02-15", customers: ["acme"], period: new IsoPeriod("P1M", 0, 1, 0)),
        ];

        var periods = ContractResolver.PeriodsBetween(book, "acme", At("2026-01-01T00:00:00Z"), At("2026-04-01T00:00:00Z"));

        Assert.Equal(
        [
            ("standard", "2026-01-01", "2026-02-01", "2026-01-01", "2026-02-01"),
            ("standard", "2026-02-01", "2026-03-01", "2026-02-01", "2026-02-15"),
            ("enterprise", "2026-02-15", "2026-03-15", "2026-02-15", "2026-03-15"),
            ("enterprise", "2026-03-15", "2026-04-15", "2026-03-15", "2026-04-15"),
        ], periods.Select(p => (p.Contract, D(p.Period.From), D(p.Period.To), D(p.Segments[0].Range.From), D(p.Segments[^1].Range.To))));
        Assert.Equal(14m / 28m, periods[1].Segments.Single().Fraction);
    }

    private static (string, int)? Key(ContractVersion? v) => v is null ? null : (v.Contract, v.Version);

    private static string D(DateTimeOffset t) => t.ToString("yyyy-MM-dd");
}
