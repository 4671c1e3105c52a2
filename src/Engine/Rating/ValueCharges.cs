using System.Globalization;
using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Rating;

/// <summary>
/// The charge models that price the outcomes' value rather than their quantity (docs/dsl-spec.md §9.5.2 and §9.5.4):
/// graduated percent tiers over the summed value, and a price carried on the event. <c>free N</c> exempts the first N
/// outcomes in billing order, as for <c>percent</c>.
/// </summary>
internal static class ValueCharges
{
    /// <summary>Tier i takes rate(i) of the part of Σ value in (b(i−1), b(i)], plus its flat fee once when reached.</summary>
    public static ChargeResult RateGraduatedPercent(ChargeRule rule, GraduatedPercentModel model, string currency, List<OutcomeInstance> ordered)
    {
        var perOutcome = new List<OutcomeCharge>(ordered.Count);
        decimal quantity = 0m, freeQuantity = 0m, total = 0m;
        for (var i = 0; i < ordered.Count; i++)
        {
            var outcome = ordered[i];
            var value = ValueOf(rule, outcome, currency, "graduated percent", DiagnosticCatalogue.PercentNeedsValue.Code);
            quantity += outcome.Quantity;
            if (i + 1 <= rule.FreeUnits)
            {
                freeQuantity += outcome.Quantity;
                perOutcome.Add(new OutcomeCharge(outcome, 0m, 0m));
                continue;
            }
            total += value;
            // The line is shared among outcomes by value (LineAttribution), the closest measure of what each brought in.
            perOutcome.Add(new OutcomeCharge(outcome, outcome.Quantity, value));
        }

        var parts = new List<TierPart>();
        var flats = new List<TierFlat>();
        var exact = 0m;
        var lower = 0m;
        foreach (var tier in model.Tiers)
        {
            var upper = tier.UpTo?.In(currency);
            var above = Math.Max(total - lower, 0m);
            var inTier = upper is { } u ? Math.Min(above, u - lower) : above;
            if (inTier > 0m)
            {
                var amount = inTier * tier.Rate;
                exact += amount;
                parts.Add(new TierPart(lower, upper, inTier, tier.Rate, CurrencyMath.RoundHalfUp(amount, currency)));
            }
            var reached = inTier > 0m || (lower == 0m && !model.FlatOnlyWhenUsed);
            if (reached && tier.Flat is { } flat && flat.In(currency) != 0m)
            {
                exact += flat.In(currency);
                flats.Add(new TierFlat(lower, upper, flat.In(currency)));
            }
            if (upper is not { } next) break;
            lower = next;
        }
        return new ChargeResult(quantity, freeQuantity, quantity - freeQuantity, exact, exact, 0m, parts, null, null, false, perOutcome) { Flats = flats };
    }

    /// <summary>Σ value (or Σ quantity × value per unit) of the billed outcomes: the price each event carried.</summary>
    public static ChargeResult RateDynamic(ChargeRule rule, DynamicModel model, string currency, List<OutcomeInstance> ordered)
    {
        var perOutcome = new List<OutcomeCharge>(ordered.Count);
        decimal quantity = 0m, freeQuantity = 0m, exact = 0m;
        for (var i = 0; i < ordered.Count; i++)
        {
            var outcome = ordered[i];
            var value = ValueOf(rule, outcome, currency, "dynamic", DiagnosticCatalogue.MissingEventPrice.Code);
            if (value < 0m)
                throw new RuleEvaluationException(DiagnosticCatalogue.NegativeEventPrice.Code,
                    $"dynamic charge on '{rule.Outcome}': event {outcome.EventSource}/{outcome.EventId} carries a negative price {value.ToString(CultureInfo.InvariantCulture)} {currency}; a price carried on an event must not be negative (send a correction instead)",
                    rule.Location);
            quantity += outcome.Quantity;
            if (i + 1 <= rule.FreeUnits)
            {
                freeQuantity += outcome.Quantity;
                perOutcome.Add(new OutcomeCharge(outcome, 0m, 0m));
                continue;
            }
            var amount = (model.PerUnit ? outcome.Quantity * value : value) * model.Multiplier;
            exact += amount;
            perOutcome.Add(new OutcomeCharge(outcome, outcome.Quantity, amount));
        }
        return new ChargeResult(quantity, freeQuantity, quantity - freeQuantity, exact, exact, 0m, [], null, null, false, perOutcome);
    }

    private static decimal ValueOf(ChargeRule rule, OutcomeInstance outcome, string currency, string model, string missingCode)
    {
        if (outcome.Value is not { } value)
            throw new RuleEvaluationException(missingCode,
                model == "dynamic"
                    ? $"dynamic charge on '{rule.Outcome}' bills the price carried on the event, but the outcome from event {outcome.EventSource}/{outcome.EventId} has no value"
                    : $"{model} charge on '{rule.Outcome}' needs a value, but the outcome from event {outcome.EventSource}/{outcome.EventId} has none",
                rule.Location);
        if (outcome.ValueCurrency is { } valueCurrency && valueCurrency != currency)
            throw new RuleEvaluationException(DiagnosticCatalogue.CurrencyMismatch.Code,
                $"{model} charge on '{rule.Outcome}' bills in {currency} but the outcome value is in {valueCurrency}",
                rule.Location);
        return value;
    }
}
