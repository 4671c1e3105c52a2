using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;
using ModelPriceList = RulesBilling.Dsl.Model.PriceList;
using SyntaxPriceList = RulesBilling.Dsl.Syntax.PriceList;

namespace RulesBilling.Dsl.Binding;

// The value-priced and flat-fee charge models (docs/dsl-spec.md §9.5.1–§9.5.4): tier flat fees, graduated percent,
// fee plus percent with a free amount, and a price carried on the event.
internal sealed partial class RuleSetBinder
{
    /// <summary>The price lists of the new model clauses, for the currency checks of contracts (RB0402).</summary>
    private static IEnumerable<SyntaxPriceList> ValueModelPrices(ChargeClause clause) => clause switch
    {
        TieredClause t => t.Tiers.Select(x => x.Flat).OfType<SyntaxPriceList>(),
        PercentClause { Fee: { } fee } => [fee],
        GraduatedPercentClause g => g.Tiers.SelectMany(t => new[] { t.UpTo, t.Flat }).OfType<SyntaxPriceList>(),
        FreeAmountClause f => [f.Amount],
        _ => [],
    };

    // An outcome's value is always money (RB0201), so a dynamic price always has a currency to check against the contract.

    /// <summary>True for the models that price the outcome's value, so the value's currency is the plan's.</summary>
    private static bool PricesValue(ChargeClause clause) => clause is PercentClause or GraduatedPercentClause or DynamicClause;

    /// <summary>Tier flat fees and <c>when used</c> on a bound tier model.</summary>
    private TieredModel? WithFlatFees(TieredClause clause, TieredModel? model, SourceText source, Func<SyntaxPriceList, ModelPriceList?> prices)
    {
        var flats = clause.Tiers.Select(t => t.Flat is null ? null : prices(t.Flat)).ToArray();
        if (clause.WhenUsed && clause.Tiers[0].Flat is null)
        {
            Error(source, clause.Span, ChargeModelDiagnosticCodes.WhenUsedWithoutFlatFee,
                "'when used' waives the first tier's flat fee at zero units, but the first tier has none; remove 'when used' or add e.g. 'plus 10 USD' to the first tier");
            return null;
        }
        if (model is null || clause.Tiers.Where((t, i) => t.Flat is not null && flats[i] is null).Any()) return null;
        if (flats.All(f => f is null)) return model;
        return model with
        {
            Tiers = model.Tiers.Select((tier, i) => tier with { Flat = flats[i] }).ToList(),
            FlatOnlyWhenUsed = clause.WhenUsed,
        };
    }

    private GraduatedPercentModel? BindGraduatedPercent(GraduatedPercentClause clause, Located<OutcomeDecl>? outcome, SourceText source, Func<SyntaxPriceList, ModelPriceList?> prices)
    {
        var ok = RequireValue(outcome, clause.Span, source, DiagnosticCodes.PercentNeedsValue,
            "a graduated percent charge needs the outcome's value");
        var tiers = new List<PercentTierRule>();
        var previous = new Dictionary<string, decimal>(StringComparer.Ordinal);
        for (var i = 0; i < clause.Tiers.Count; i++)
        {
            var tier = clause.Tiers[i];
            var last = i == clause.Tiers.Count - 1;
            var bound = tier.UpTo is null ? null : prices(tier.UpTo);
            var flat = tier.Flat is null ? null : prices(tier.Flat);
            ok &= (tier.UpTo is null || bound is not null) && (tier.Flat is null || flat is not null);
            if (tier.UpTo is null && !last)
            {
                Error(source, tier.Span, DiagnosticCodes.RestNotLast, "only the last tier may be 'rest'; move this tier to the end or give it an 'up to' bound");
                ok = false;
            }
            else if (tier.UpTo is not null && last)
            {
                Error(source, tier.Span, DiagnosticCodes.RestNotLast,
                    "the last tier must be 'rest at …' so that every amount has a rate; add e.g. 'rest at 1%'");
                ok = false;
            }
            if (bound is not null)
            {
                foreach (var (currency, upTo) in bound.Amounts)
                {
                    if (upTo <= 0m || (previous.TryGetValue(currency, out var p) && upTo <= p))
                    {
                        var after = previous.TryGetValue(currency, out var q) ? $"comes after 'up to {Show(q)} {currency}'" : "comes first";
                        Error(source, tier.UpTo!.Span, DiagnosticCodes.TiersNotAscending,
                            $"tier bounds must ascend strictly from above 0, but 'up to {Show(upTo)} {currency}' {after}");
                        ok = false;
                    }
                    previous[currency] = upTo;
                }
            }
            tiers.Add(new PercentTierRule(bound, tier.Rate.Percent / 100m, flat));
        }
        if (clause.WhenUsed && clause.Tiers[0].Flat is null)
        {
            Error(source, clause.Span, ChargeModelDiagnosticCodes.WhenUsedWithoutFlatFee,
                "'when used' waives the first tier's flat fee at zero value, but the first tier has none; remove 'when used' or add e.g. 'plus 10 USD' to the first tier");
            ok = false;
        }
        return ok ? new GraduatedPercentModel(tiers, clause.WhenUsed) : null;
    }

    private DynamicModel? BindDynamic(DynamicClause clause, Located<OutcomeDecl>? outcome, SourceText source)
    {
        if (!RequireValue(outcome, clause.Span, source, ChargeModelDiagnosticCodes.DynamicNeedsValue,
                "a dynamic charge bills the price carried on the event, read as the outcome's value"))
            return null;
        if (clause.Multiplier is { } multiplier && multiplier.Value <= 0m)
        {
            Error(source, multiplier.Span, ChargeModelDiagnosticCodes.BadMultiplier,
                $"the multiplier of a dynamic charge must be greater than 0, not {Show(multiplier.Value)}; write e.g. 'times 1.2' for a 20% markup");
            return null;
        }
        return new DynamicModel(clause.PerUnit, clause.Multiplier?.Value ?? 1m);
    }

    private bool RequireValue(Located<OutcomeDecl>? outcome, TextSpan span, SourceText source, string code, string what)
    {
        if (outcome is null || outcome.Decl.Clauses.OfType<ValueClause>().Any()) return true;
        Error(source, span, code,
            $"{what}, but outcome '{outcome.Decl.Name.Text}' has no 'value' clause; add e.g. 'value price' to it");
        return false;
    }

    /// <summary><c>free 500 USD</c>: only a percent charge has a value to exempt.</summary>
    private ChargeModel? WithFreeAmount(ChargeModel? model, FreeAmountClause? free, string owner, SourceText source, Func<SyntaxPriceList, ModelPriceList?> prices)
    {
        if (free is null) return model;
        var amount = prices(free.Amount);
        if (model is not null and not PercentModel)
        {
            Error(source, free.Span, ChargeModelDiagnosticCodes.FreeAmountNeedsPercent,
                $"{owner} is not a percent charge, so it has no value to make free; write 'free N' for free units, or use 'percent … of value'");
            return null;
        }
        return model is PercentModel percent && amount is not null ? percent with { FreeAmount = amount } : null;
    }
}
