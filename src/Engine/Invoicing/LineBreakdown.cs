using System.Globalization;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Rating;
using static RulesBilling.Engine.Rating.QuantityText;

namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// The arithmetic of a charge line as steps a customer can check (docs/dsl-spec.md §9.11): free units, then the model
/// (unit price, each graduated tier, the volume tier, packages, percent with its per-outcome clamps, a script), then
/// the charge cap. Step amounts are exact; rounded half-up their sum is the line amount.
/// </summary>
internal static class LineBreakdown
{
    public static IReadOnlyList<LineStep> Charge(ChargeRule rule, ChargeResult result, string currency)
    {
        var steps = new List<LineStep>();
        if (result.Aggregate is { } aggregate)
        {
            if (aggregate.Aggregation.PricedSeparately) return AggregateBreakdown.PricedSeparately(rule, result, aggregate, currency);
            steps.Add(AggregateBreakdown.Step(aggregate, result.Outcomes.Count));
        }
        if (result.FreeQuantity > 0m)
        {
            var text = rule.Model is PercentModel
                ? $"{Count(rule.FreeUnits, "outcome")} free ({Q(result.FreeQuantity)} of {Q(result.Quantity)} units)"
                : $"{Q(result.FreeQuantity)} of {Q(result.Quantity)} {Plural(result.Quantity, "unit")} free ({Q(rule.FreeUnits)} included)";
            steps.Add(new LineStep("free", text, result.FreeQuantity, null, 0m));
        }

        var before = steps.Count;
        switch (rule.Model)
        {
            case UnitModel unit:
                var price = unit.Price.In(currency);
                steps.Add(new LineStep("unit", $"{Q(result.BilledQuantity)} × {P(price, currency)} {Is(result.BilledQuantity * price, currency)}",
                    result.BilledQuantity, price, result.BilledQuantity * price));
                break;
            case TieredModel { Mode: TierModeKind.Graduated }:
                foreach (var tier in result.Tiers)
                {
                    var exact = tier.Quantity * tier.UnitPrice;
                    steps.Add(new LineStep("tier", $"{TierRange(tier)}: {Q(tier.Quantity)} × {P(tier.UnitPrice, currency)} {Is(exact, currency)}",
                        tier.Quantity, tier.UnitPrice, exact));
                    AddFlat(steps, result, tier.From, currency);
                }
                AddUnusedFlats(steps, result, currency);
                break;
            case TieredModel:
                foreach (var tier in result.Tiers)
                {
                    var exact = tier.Quantity * tier.UnitPrice;
                    steps.Add(new LineStep("volume", $"all {Q(tier.Quantity)} at the price of {TierRange(tier)}: {Q(tier.Quantity)} × {P(tier.UnitPrice, currency)} {Is(exact, currency)}",
                        tier.Quantity, tier.UnitPrice, exact));
                    AddFlat(steps, result, tier.From, currency);
                }
                AddUnusedFlats(steps, result, currency);
                break;
            case GraduatedPercentModel:
                foreach (var tier in result.Tiers)
                {
                    var exact = tier.Quantity * tier.UnitPrice;
                    steps.Add(new LineStep("percent-tier", $"{ValueRange(tier, currency)}: {Rate(tier.UnitPrice)} of {P(tier.Quantity, currency)} {Is(exact, currency)}",
                        tier.Quantity, tier.UnitPrice, exact));
                    AddFlat(steps, result, tier.From, currency, value: true);
                }
                AddUnusedFlats(steps, result, currency, value: true);
                break;
            case DynamicModel dynamic:
                var billedOutcomes = result.Outcomes.Skip((int)Math.Min(rule.FreeUnits, int.MaxValue)).ToList();
                var carried = billedOutcomes.Sum(o => o.PercentAmount ?? 0m);
                var times = dynamic.Multiplier == 1m ? "" : $", times {Q(dynamic.Multiplier)}";
                steps.Add(new LineStep("dynamic", dynamic.PerUnit
                        ? $"{Q(result.BilledQuantity)} {Plural(result.BilledQuantity, "unit")} at the unit prices carried on {Count(billedOutcomes.Count, "event")}{times} {Is(carried, currency)}"
                        : $"prices carried on {Count(billedOutcomes.Count, "event")}{times} {Is(carried, currency)}",
                    result.BilledQuantity, null, carried));
                break;
            case PackageModel package when result.Packages is { } packages:
                var packagePrice = package.Price.In(currency);
                steps.Add(new LineStep("package",
                    $"{Q(result.BilledQuantity)} {Plural(result.BilledQuantity, "unit")} in packages of {Q(package.Size)}, rounded {(package.RoundUp ? "up" : "down")}: {Count(packages, "package")} × {P(packagePrice, currency)} {Is(packages * packagePrice, currency)}",
                    packages, packagePrice, packages * packagePrice));
                break;
            case PercentModel percent:
                AddPercent(steps, percent, rule.FreeUnits, result, currency);
                break;
            default:
                steps.Add(new LineStep("script", $"priced by script: {P(result.UncappedAmount, currency)}", result.BilledQuantity, null, result.UncappedAmount));
                break;
        }

        if (steps.Count == before)
        {
            // Tiered models use no tier at zero billed units: say so rather than show no arithmetic at all.
            steps.Add(new LineStep("none", $"{Q(result.BilledQuantity)} units billed {Is(0m, currency)}", result.BilledQuantity, null, 0m));
        }

        if (result.CapApplied && rule.Cap is { } cap)
        {
            var reduction = result.ExactAmount - result.UncappedAmount;
            steps.Add(new LineStep("cap", $"charge cap {P(cap.In(currency), currency)}: {P(reduction, currency)}", null, null, reduction));
        }
        return steps;
    }

    /// <summary>rate × value over the billed outcomes, then what the per-outcome minimum raised and the maximum lowered.</summary>
    private static void AddPercent(List<LineStep> steps, PercentModel percent, decimal freeOutcomes, ChargeResult result, string currency)
    {
        decimal value = 0m, raised = 0m, lowered = 0m;
        int raisedCount = 0, loweredCount = 0;
        // The first `free` outcomes in billing order are exempt (ChargeCalculator.RatePercent); the rest are billed.
        var fee = percent.Fee?.In(currency) ?? 0m;
        decimal freeValue = 0m;
        var feeCount = 0;
        foreach (var outcome in result.Outcomes.Skip((int)Math.Min(freeOutcomes, int.MaxValue)))
        {
            var whole = outcome.Outcome.Value ?? 0m;
            var billed = outcome.BilledValue ?? whole;
            freeValue += whole - billed;
            if (outcome.Exempt) continue;
            var clamped = outcome.PercentAmount ?? 0m;
            var raw = percent.Rate * billed + fee;
            value += billed;
            feeCount++;
            if (clamped > raw) { raised += clamped - raw; raisedCount++; }
            else if (clamped < raw) { lowered += clamped - raw; loweredCount++; }
        }
        var rate = CurrencyMath.Normalize(percent.Rate * 100m).ToString(CultureInfo.InvariantCulture);
        if (percent.FreeAmount is { } freeAmount && freeValue > 0m)
            steps.Add(new LineStep("free-amount", $"{P(freeValue, currency)} of value free ({P(freeAmount.In(currency), currency)} included)", null, null, 0m));
        steps.Add(new LineStep("percent", $"{rate}% of {P(value, currency)} value {Is(percent.Rate * value, currency)}", value, percent.Rate, percent.Rate * value));
        if (fee != 0m && feeCount > 0)
            steps.Add(new LineStep("percent-fee", $"fixed fee {Count(feeCount, "outcome")} × {P(fee, currency)} {Is(feeCount * fee, currency)}", feeCount, fee, feeCount * fee));
        if (raisedCount > 0 && percent.Min is { } min)
            steps.Add(new LineStep("percent-min", $"minimum {P(min.In(currency), currency)} per outcome, {Count(raisedCount, "outcome")} raised: +{P(raised, currency)}", raisedCount, null, raised));
        if (loweredCount > 0 && percent.Max is { } max)
            steps.Add(new LineStep("percent-max", $"maximum {P(max.In(currency), currency)} per outcome, {Count(loweredCount, "outcome")} lowered: {P(lowered, currency)}", loweredCount, null, lowered));
    }

    /// <summary>The flat fee of the tier starting at <paramref name="from"/>, right after that tier's own step.</summary>
    private static void AddFlat(List<LineStep> steps, ChargeResult result, decimal from, string currency, bool value = false)
    {
        if (result.Flats.FirstOrDefault(f => f.From == from) is not { } flat) return;
        var range = value ? ValueRange(new TierPart(flat.From, flat.UpTo, 0m, 0m, 0m), currency) : TierRange(new TierPart(flat.From, flat.UpTo, 0m, 0m, 0m));
        steps.Add(new LineStep("tier-flat", $"flat fee of {range} {Is(flat.Amount, currency)}", null, null, flat.Amount));
    }

    /// <summary>A flat fee of a tier with no usage: the first tier's at zero billed units (docs/dsl-spec.md §9.5.1).</summary>
    private static void AddUnusedFlats(List<LineStep> steps, ChargeResult result, string currency, bool value = false)
    {
        foreach (var flat in result.Flats.Where(f => result.Tiers.All(t => t.From != f.From)))
        {
            var part = new TierPart(flat.From, flat.UpTo, 0m, 0m, 0m);
            var range = value ? ValueRange(part, currency) : TierRange(part);
            var nothing = value ? "no value" : "0 units";
            steps.Add(new LineStep("tier-flat", $"flat fee of {range}, billed at {nothing} {Is(flat.Amount, currency)}", null, null, flat.Amount));
        }
    }

    private static string ValueRange(TierPart tier, string currency) => (tier.From, tier.UpTo) switch
    {
        (0m, { } upTo) => $"first {P(upTo, currency)}",
        (var from, null) => $"over {P(from, currency)}",
        (var from, { } upTo) => $"over {P(from, currency)} up to {P(upTo, currency)}",
    };

    private static string Rate(decimal rate) => CurrencyMath.Normalize(rate * 100m).ToString(CultureInfo.InvariantCulture) + "%";

    /// <summary>A line with one step: a base fee (prorated or not), a cap, a minimum true-up, a guard cap.</summary>
    public static IReadOnlyList<LineStep> Single(string kind, string text, decimal? quantity, decimal? unitPrice, decimal exact) =>
        [new LineStep(kind, text, quantity, unitPrice, exact)];

    private static string TierRange(TierPart tier) => (tier.From, tier.UpTo) switch
    {
        (0m, { } upTo) => $"first {Q(upTo)}",
        (var from, null) => $"over {Q(from)}",
        (var from, { } upTo) => $"over {Q(from)} up to {Q(upTo)}",
    };

    /// <summary>
    /// An amount in a step's text: exact, unless a proration left more than four digits beyond the currency's; then
    /// rounded there and marked ≈ (the step's JSON amount stays exact).
    /// </summary>
    public static string P(decimal amount, string currency)
    {
        var digits = CurrencyMath.MinorUnits(currency) + 4;
        var shown = Math.Round(amount, digits, MidpointRounding.AwayFromZero);
        return shown == amount
            ? $"{CurrencyMath.FormatPrice(amount, currency)} {currency}"
            : $"≈{CurrencyMath.FormatPrice(shown, currency)} {currency}";
    }

    /// <summary>"= 7.20 USD", or "≈ 44.709677 USD" when the exact amount has more digits than shown.</summary>
    public static string Is(decimal amount, string currency)
    {
        var text = P(amount, currency);
        return text.StartsWith('≈') ? "≈ " + text[1..] : "= " + text;
    }

    public static string Count(decimal n, string noun) => $"{Q(n)} {Plural(n, noun)}";

    public static string Plural(decimal n, string noun) => n == 1m ? noun : noun + "s";
}
