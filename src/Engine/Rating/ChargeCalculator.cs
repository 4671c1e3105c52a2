using System.Globalization;
using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Rating;

/// <summary>
/// Rates one <see cref="ChargeRule"/> in one currency over the outcomes assigned to it (docs/dsl-spec.md §9.5 "Charge models", with §9.4 and §9.6):
/// free units first, then the model, then the charge cap, then one half-up rounding.
/// </summary>
internal static partial class ChargeCalculator
{
    /// <param name="context">The period and contract, read by script-priced charges (<see cref="ScriptModel"/>).</param>
    public static ChargeResult Rate(ChargeRule rule, string currency, IReadOnlyList<OutcomeInstance> outcomes, RatingContext? context = null)
    {
        var ordered = outcomes.Order(OutcomeOrder.Billing).ToList();
        foreach (var outcome in ordered)
        {
            if (outcome.Quantity < 0m && rule.Aggregation?.Kind != AggregationKind.WeightedSum)
                throw new RuleEvaluationException(DiagnosticCatalogue.NegativeQuantity.Code,
                    $"outcome '{outcome.Outcome}' from event {outcome.EventSource}/{outcome.EventId} has negative quantity {outcome.Quantity.ToString(CultureInfo.InvariantCulture)}",
                    rule.Location);
        }

        try
        {
            var uncapped = rule.Model switch
            {
                PercentModel percent => RatePercent(rule, percent, currency, ordered),
                GraduatedPercentModel graduated => ValueCharges.RateGraduatedPercent(rule, graduated, currency, ordered),
                DynamicModel dynamic => ValueCharges.RateDynamic(rule, dynamic, currency, ordered),
                _ => rule.Aggregation is { } aggregation
                    ? RateAggregated(rule, aggregation, currency, ordered, context)
                    : RateQuantity(rule, currency, ordered, context),
            };
            return ApplyCap(rule, currency, uncapped);
        }
        catch (OverflowException)
        {
            throw new RuleEvaluationException(DiagnosticCatalogue.Overflow.Code, $"the amount of charge '{rule.Outcome}' overflows the decimal range", rule.Location);
        }
    }

    private static ChargeResult ApplyCap(ChargeRule rule, string currency, ChargeResult uncapped)
    {
        var exact = uncapped.UncappedAmount;
        var capApplied = false;
        if (rule.Cap is { } cap && exact > cap.In(currency))
        {
            exact = cap.In(currency);
            capApplied = true;
        }
        return uncapped with { ExactAmount = exact, Amount = CurrencyMath.RoundHalfUp(exact, currency), CapApplied = capApplied };
    }

    private static ChargeResult RateQuantity(ChargeRule rule, string currency, List<OutcomeInstance> ordered, RatingContext? context)
    {
        var quantity = ordered.Sum(o => o.Quantity);
        var free = Math.Min(quantity, rule.FreeUnits);
        var billed = quantity - free;

        var freeLeft = rule.FreeUnits;
        var perOutcome = new List<OutcomeCharge>(ordered.Count);
        foreach (var outcome in ordered)
        {
            var freeHere = Math.Min(outcome.Quantity, freeLeft);
            freeLeft -= freeHere;
            perOutcome.Add(new OutcomeCharge(outcome, outcome.Quantity - freeHere, null));
        }

        var (exact, tiers, unitPrice, packages) = rule.Model switch
        {
            UnitModel unit => (billed * unit.Price.In(currency), (IReadOnlyList<TierPart>)[], unit.Price.In(currency), (decimal?)null),
            TieredModel { Mode: TierModeKind.Graduated } tiered => Graduated(tiered, currency, billed),
            TieredModel { Mode: TierModeKind.Volume } tiered => Volume(tiered, currency, billed),
            PackageModel package => Package(package, currency, billed),
            ScriptModel script => (script.Rate(ScriptInput(rule, currency, context, quantity, free, billed, perOutcome)), (IReadOnlyList<TierPart>)[], (decimal?)null, (decimal?)null),
            _ => throw new InvalidOperationException($"charge '{rule.Outcome}' has an unsupported model {rule.Model.GetType().Name}"),
        };
        var flats = rule.Model is TieredModel withFlats ? TierFlats(withFlats, currency, billed) : [];
        exact += flats.Sum(f => f.Amount);
        return new ChargeResult(quantity, free, billed, exact, exact, 0m, tiers, unitPrice, packages, false, perOutcome) { Flats = flats };
    }

    /// <summary>
    /// Graduated: the flat fee of every tier the billed quantity reaches; volume: of the tier it falls in. At zero billed
    /// units the first tier's flat fee is billed (as Stripe, OpenMeter and Lago do) unless the tiers say <c>when used</c>.
    /// </summary>
    internal static IReadOnlyList<TierFlat> TierFlats(TieredModel model, string currency, decimal billed)
    {
        if (model.Tiers.All(t => t.Flat is null) || (billed == 0m && model.FlatOnlyWhenUsed)) return [];
        var flats = new List<TierFlat>();
        var lower = 0m;
        foreach (var tier in model.Tiers)
        {
            var reached = billed > lower || lower == 0m;
            var inThis = tier.UpTo is not { } upper || billed <= upper;
            var bills = model.Mode == TierModeKind.Graduated ? reached : reached && inThis;
            if (bills && tier.Flat is { } flat && flat.In(currency) != 0m) flats.Add(new TierFlat(lower, tier.UpTo, flat.In(currency)));
            if (tier.UpTo is not { } next || (model.Mode == TierModeKind.Volume && inThis)) break;
            lower = next;
        }
        return flats;
    }

    private static ChargeRatingInput ScriptInput(
        ChargeRule rule, string currency, RatingContext? context, decimal quantity, decimal free, decimal billed, List<OutcomeCharge> perOutcome) =>
        new(rule.Outcome, quantity, free, billed,
            perOutcome.Select(o => new RatedOutcome(o.Outcome.Key, o.Outcome.BillableAt, o.Outcome.Quantity, o.BilledQuantity, o.Outcome.Value, o.Outcome.Dimensions)).ToArray(),
            context ?? new RatingContext("", "", 0, currency, default, default, default, default));

    /// <summary>Tier i covers (b(i−1), b(i)]; a quantity exactly on a bound stays in the lower tier.</summary>
    private static (decimal, IReadOnlyList<TierPart>, decimal?, decimal?) Graduated(TieredModel model, string currency, decimal billed)
    {
        var parts = new List<TierPart>();
        var exact = 0m;
        var lower = 0m;
        foreach (var tier in model.Tiers)
        {
            var above = Math.Max(billed - lower, 0m);
            var inTier = tier.UpTo is { } upper ? Math.Min(above, upper - lower) : above;
            if (inTier > 0m)
            {
                var price = tier.Price.In(currency);
                var amount = inTier * price;
                exact += amount;
                parts.Add(new TierPart(lower, tier.UpTo, inTier, price, CurrencyMath.RoundHalfUp(amount, currency)));
            }
            if (tier.UpTo is not { } next) break;
            lower = next;
        }
        return (exact, parts, null, null);
    }

    /// <summary>The whole quantity at the price of the first tier whose bound is ≥ the quantity (or rest).</summary>
    private static (decimal, IReadOnlyList<TierPart>, decimal?, decimal?) Volume(TieredModel model, string currency, decimal billed)
    {
        if (billed == 0m) return (0m, [], null, null);
        var lower = 0m;
        foreach (var tier in model.Tiers)
        {
            if (tier.UpTo is null || billed <= tier.UpTo.Value)
            {
                var price = tier.Price.In(currency);
                var amount = billed * price;
                return (amount, [new TierPart(lower, tier.UpTo, billed, price, CurrencyMath.RoundHalfUp(amount, currency))], price, null);
            }
            lower = tier.UpTo.Value;
        }
        throw new InvalidOperationException("volume tiers must end with 'rest'; the checker should have refused this rule set");
    }

    private static (decimal, IReadOnlyList<TierPart>, decimal?, decimal?) Package(PackageModel model, string currency, decimal billed)
    {
        var packages = model.RoundUp ? Math.Ceiling(billed / model.Size) : Math.Floor(billed / model.Size);
        return (packages * model.Price.In(currency), [], null, packages);
    }

    /// <summary>Per outcome clamp(rate × value, min, max); free N exempts the first N whole outcomes.</summary>
    private static ChargeResult RatePercent(ChargeRule rule, PercentModel model, string currency, List<OutcomeInstance> ordered)
    {
        var min = model.Min?.In(currency);
        var max = model.Max?.In(currency);
        var fee = model.Fee?.In(currency) ?? 0m;
        var freeValueLeft = model.FreeAmount?.In(currency) ?? 0m;
        var perOutcome = new List<OutcomeCharge>(ordered.Count);
        decimal quantity = 0m, freeQuantity = 0m, exact = 0m;
        for (var i = 0; i < ordered.Count; i++)
        {
            var outcome = ordered[i];
            if (outcome.Value is not { } value)
                throw new RuleEvaluationException(DiagnosticCatalogue.PercentNeedsValue.Code,
                    $"percent charge on '{rule.Outcome}' needs a value, but the outcome from event {outcome.EventSource}/{outcome.EventId} has none",
                    rule.Location);
            if (outcome.ValueCurrency is { } valueCurrency && valueCurrency != currency)
                throw new RuleEvaluationException(DiagnosticCatalogue.CurrencyMismatch.Code,
                    $"percent charge on '{rule.Outcome}' bills in {currency} but the outcome value is in {valueCurrency}",
                    rule.Location);

            quantity += outcome.Quantity;
            if (i + 1 <= rule.FreeUnits)
            {
                freeQuantity += outcome.Quantity;
                perOutcome.Add(new OutcomeCharge(outcome, 0m, 0m));
                continue;
            }
            // A free amount (Lago's free_units_per_total_aggregation) covers value in billing order: an outcome whose value
            // it exceeds costs nothing; the one that uses it up pays the rate on the rest, the fee, and the clamp (as Lago).
            decimal? billedValue = null;
            if (freeValueLeft > 0m && value > 0m)
            {
                if (freeValueLeft > value)
                {
                    freeValueLeft -= value;
                    perOutcome.Add(new OutcomeCharge(outcome, outcome.Quantity, 0m) { BilledValue = 0m, Exempt = true });
                    continue;
                }
                billedValue = value - freeValueLeft;
                freeValueLeft = 0m;
            }
            var amount = model.Rate * (billedValue ?? value) + fee;
            if (min is { } floor && amount < floor) amount = floor;
            if (max is { } ceiling && amount > ceiling) amount = ceiling;
            exact += amount;
            perOutcome.Add(new OutcomeCharge(outcome, outcome.Quantity, amount) { BilledValue = billedValue });
        }
        return new ChargeResult(quantity, freeQuantity, quantity - freeQuantity, exact, exact, 0m, [], null, null, false, perOutcome);
    }
}
