namespace RulesBilling.Dsl.Model;

/// <summary>A compiled <c>pricing</c> block.</summary>
public sealed record PricingPlan(
    string Name,
    PriceList? BaseFee,
    IReadOnlyList<ChargeRule> Charges,
    PriceList? Minimum,
    PriceList? Cap,
    IReadOnlyList<GuardRule> Guards,
    /// <summary>Every currency all prices of this plan are given in.</summary>
    IReadOnlyList<string> Currencies)
{
    /// <summary><c>base P in advance</c>: the fee of the version in force at the period start is billed in full, and a mid-period change credits its unused part and charges the new fee's remainder (§10.7).</summary>
    public bool BaseInAdvance { get; init; }

    /// <summary><c>pricing P extends Q</c>: the pricing it inherited from (null when declared whole).</summary>
    public string? Parent { get; init; }
}

/// <summary>
/// One <c>charge</c>: prices the outcomes of <see cref="Outcome"/> whose dimensions pass <see cref="Filter"/>.
/// The filter receives the outcome's dimension values (name → value, absent → null).
/// </summary>
public sealed record ChargeRule(
    string Outcome,
    Func<IReadOnlyDictionary<string, string?>, bool>? Filter,
    string? FilterText,
    ChargeModel Model,
    decimal FreeUnits,
    PriceList? Cap,
    SourceLocation Location)
{
    /// <summary>What a customer reads on the line: the declared <c>label</c>, else one generated from the outcome and filter (never DSL text).</summary>
    public string Label { get; init; } = ReadableText.Humanize(Outcome);

    /// <summary>The declared <c>description</c>, else the outcome's, if any.</summary>
    public string? Description { get; init; }

    /// <summary>The <c>aggregate</c> clause; null: the quantity is Σ outcome quantities (docs/dsl-spec.md §9.3).</summary>
    public ChargeAggregation? Aggregation { get; init; }
}

public abstract record ChargeModel;

public sealed record UnitModel(PriceList Price) : ChargeModel;

public enum TierModeKind { Graduated, Volume }

/// <summary>
/// Tiers ascend; each has an inclusive upper bound; the last has <c>UpTo == null</c>. A tier's <see cref="TierRule.Flat"/>
/// fee is billed once when the tier is used; the first tier's also at zero billed units unless
/// <see cref="FlatOnlyWhenUsed"/> (docs/dsl-spec.md §9.5.1).
/// </summary>
public sealed record TieredModel(TierModeKind Mode, IReadOnlyList<TierRule> Tiers, bool FlatOnlyWhenUsed = false) : ChargeModel;

public sealed record TierRule(decimal? UpTo, PriceList Price, PriceList? Flat = null);

public sealed record PackageModel(decimal Size, PriceList Price, bool RoundUp) : ChargeModel;

/// <summary>
/// Percent of each outcome's value (Rate 0.02 = 2%) plus a fixed <see cref="Fee"/> per outcome, clamped per outcome to
/// [Min, Max]; the first <see cref="FreeAmount"/> of value (in billing order) is not charged (docs/dsl-spec.md §9.5.3).
/// </summary>
public sealed record PercentModel(decimal Rate, PriceList? Min, PriceList? Max, PriceList? Fee = null, PriceList? FreeAmount = null) : ChargeModel;

/// <summary>
/// Tiers over the summed value of the outcomes (docs/dsl-spec.md §9.5.2): each tier's rate applies to the value inside it,
/// and its flat fee once when reached (the first tier's also at zero value unless <see cref="FlatOnlyWhenUsed"/>).
/// </summary>
public sealed record GraduatedPercentModel(IReadOnlyList<PercentTierRule> Tiers, bool FlatOnlyWhenUsed = false) : ChargeModel;

/// <summary>A tier of value up to <see cref="UpTo"/> (inclusive, in each currency; null for <c>rest</c>) at <see cref="Rate"/> (0.01 = 1%).</summary>
public sealed record PercentTierRule(PriceList? UpTo, decimal Rate, PriceList? Flat);

/// <summary>
/// The price is carried on the event as the outcome's money value (docs/dsl-spec.md §9.5.4): amount = Σ value, or with
/// <see cref="PerUnit"/> Σ quantity × value; each times <see cref="Multiplier"/> (OpenMeter's dynamic price multiplier).
/// </summary>
public sealed record DynamicModel(bool PerUnit, decimal Multiplier = 1m) : ChargeModel;

public enum GuardActionType { Alert, Hold, Cap }

/// <summary>A margin guard: a condition over the period's aggregates and what to do when it holds.</summary>
public sealed record GuardRule(string Name, Func<GuardContext, bool> Condition, string ConditionText, GuardActionType Action, PriceList? CapAmount, SourceLocation Location)
{
    /// <summary>What a reader sees for this guard: the declared <c>label</c>, else the name made readable.</summary>
    public string Label { get; init; } = ReadableText.Humanize(Name);

    public string? Description { get; init; }
}

/// <summary>
/// The period aggregates a guard condition reads. Outcome null means all outcomes.
/// Revenue is usage revenue in the invoice currency; cost is in the cost rules' currency.
/// </summary>
public abstract class GuardContext
{
    public abstract decimal Revenue(string? outcome);
    public abstract decimal Cost(string? outcome);
    public abstract decimal Count(string? outcome);

    /// <summary>(revenue − cost) / revenue; with zero revenue: 1 when cost is zero, else −1 (see dsl-spec §guards).</summary>
    public decimal Margin(string? outcome)
    {
        var revenue = Revenue(outcome);
        var cost = Cost(outcome);
        if (revenue == 0m) return cost == 0m ? 1m : -1m;
        return Math.Max(-1m, (revenue - cost) / revenue);
    }
}
