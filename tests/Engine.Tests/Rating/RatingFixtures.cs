using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Tests.Rating;

/// <summary>Small builders for rules, plans and outcomes used by the rating and invoicing tests.</summary>
internal static class RatingFixtures
{
    public static readonly SourceLocation Where = new("test.rules", 1, 1);
    public static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Feb1 = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    public static PriceList Price(decimal amount, string currency = "USD") => PriceList.Single(currency, amount);

    public static ChargeRule Charge(
        string outcome, ChargeModel model, decimal free = 0m, decimal? cap = null, string currency = "USD",
        Func<IReadOnlyDictionary<string, string?>, bool>? filter = null, string? filterText = null) =>
        new(outcome, filter, filterText, model, free, cap is { } c ? Price(c, currency) : null, Where);

    public static UnitModel Unit(decimal price, string currency = "USD") => new(Price(price, currency));

    public static TieredModel Graduated(params (decimal? UpTo, decimal Price)[] tiers) => Tiered(TierModeKind.Graduated, "USD", tiers);

    public static TieredModel Volume(params (decimal? UpTo, decimal Price)[] tiers) => Tiered(TierModeKind.Volume, "USD", tiers);

    public static TieredModel Tiered(TierModeKind mode, string currency, params (decimal? UpTo, decimal Price)[] tiers) =>
        new(mode, tiers.Select(t => new TierRule(t.UpTo, Price(t.Price, currency))).ToList());

    /// <summary>The tiers most tests use: up to 100 at 0.10; up to 1000 at 0.08; rest at 0.05.</summary>
    public static readonly (decimal?, decimal)[] StandardTiers = [(100m, 0.10m), (1000m, 0.08m), (null, 0.05m)];

    public static OutcomeInstance Outcome(
        string outcome, int n, decimal quantity = 1m, decimal? value = null, string? valueCurrency = null,
        IReadOnlyDictionary<string, string?>? dimensions = null, IReadOnlyList<SplitAllocationShare>? split = null,
        DateTimeOffset? at = null, string customer = "acme", OutcomeState state = OutcomeState.Billable,
        IReadOnlyList<string>? duplicates = null)
    {
        var time = at ?? Jan1.AddMinutes(n);
        return new OutcomeInstance(outcome, customer, $"k{n}", "test", $"e{n:D4}", time, time, quantity, value,
            value is null ? null : valueCurrency ?? "USD",
            dimensions ?? new Dictionary<string, string?>(), split ?? [], state, duplicates ?? [], null);
    }

    public static List<OutcomeInstance> Many(string outcome, int count, decimal quantity = 1m) =>
        Enumerable.Range(1, count).Select(n => Outcome(outcome, n, quantity)).ToList();

    public static PricingPlan Plan(
        IReadOnlyList<ChargeRule> charges, decimal? baseFee = null, decimal? minimum = null, decimal? cap = null,
        IReadOnlyList<GuardRule>? guards = null, string currency = "USD", string name = "standard") =>
        new(name, baseFee is { } b ? Price(b, currency) : null, charges, minimum is { } m ? Price(m, currency) : null,
            cap is { } c ? Price(c, currency) : null, guards ?? [], [currency]);

    public static ContractVersion Version(int version, DateOnly effective, string currency = "USD") =>
        new("support", version, effective, null, true, [], "standard", currency, new MonthlyPeriod(1),
            $"hash-v{version}", "contracts.rules");
}
