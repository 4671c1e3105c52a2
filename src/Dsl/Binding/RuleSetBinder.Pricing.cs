using System.Globalization;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;
using ModelPriceList = RulesBilling.Dsl.Model.PriceList;
using SyntaxPriceList = RulesBilling.Dsl.Syntax.PriceList;

namespace RulesBilling.Dsl.Binding;

// Pricing declarations: price lists, charges and their models, guards.
internal sealed partial class RuleSetBinder
{
    private void BindPricing(Located<PricingDecl> located)
    {
        var (decl, source) = (located.Decl, located.Source);
        var owner = $"pricing '{decl.Name.Text}'";
        var reportedBefore = _diagnostics.Count;
        var currencies = new SortedSet<string>(StringComparer.Ordinal);

        ModelPriceList? Prices(SyntaxPriceList list)
        {
            var prices = BindPriceList(list, source);
            if (prices is not null) currencies.UnionWith(prices.Amounts.Keys);
            return prices;
        }

        ModelPriceList? baseFee = null, minimum = null, cap = null;
        PricingItem? firstBase = null, firstMinimum = null, firstCap = null;
        var charges = new List<BoundCharge>();
        var guardItems = new List<GuardItem>();
        foreach (var item in decl.Items)
        {
            switch (item)
            {
                case BaseItem b when Once(ref firstBase, b, "base", owner, source):
                    baseFee = Prices(b.Prices);
                    break;
                case MinimumItem m when Once(ref firstMinimum, m, "minimum", owner, source):
                    minimum = Prices(m.Prices);
                    break;
                case CapItem c when Once(ref firstCap, c, "cap", owner, source):
                    cap = Prices(c.Prices);
                    break;
                case ChargeItem charge:
                    if (BindCharge(charge, source, Prices) is { } bound) charges.Add(bound);
                    break;
                case GuardItem guard:
                    if (guardItems.Find(g => g.Name.Text == guard.Name.Text) is { } earlier)
                    {
                        Error(source, guard.Name.Span, DiagnosticCodes.DuplicateDeclaration,
                            $"guard '{guard.Name.Text}' is already declared in {owner} at {Where(source, earlier.Name.Span)}; rename one of them");
                        break;
                    }
                    guardItems.Add(guard);
                    if (guard.Action.CapAmount is { } guardCap) Prices(guardCap);
                    break;
            }
        }

        // A percent charge bills in the currency of the outcome's value.
        foreach (var charge in decl.Items.OfType<ChargeItem>().Where(c => c.Clauses.Any(PricesValue)))
        {
            if (_outcomes.TryGetValue(charge.Outcome.Text, out var outcome) && outcome.Value?.Type is { IsMoney: true, Currency: { } valueCurrency })
                currencies.Add(valueCurrency);
        }

        // revenue() and cost() are in the contract's currency, which can be any currency of the plan: a guard
        // must type-check for each of them (with no prices at all the currency stays unknown).
        var contractCurrencies = currencies.Count == 0 ? new string?[] { null } : currencies.Select(c => (string?)c).ToArray();
        var guards = new List<BoundGuard>();
        foreach (var guard in guardItems)
        {
            BoundExpr? condition = null;
            var ok = true;
            foreach (var currency in contractCurrencies)
            {
                var binder = new ExpressionBinder(source, _diagnostics, new GuardScope(new RuleType(TypeKind.Money, currency), _outcomeDecls.Keys.ToArray()), _scripts);
                var bound = binder.BindValue(guard.Condition);
                ok &= binder.Expect(bound, t => t.Kind == TypeKind.Bool, "a guard condition", "bool");
                condition ??= bound;
            }
            var capAmount = guard.Action.CapAmount is { } c ? BindPriceList(c, source) : null;
            var action = guard.Action.Kind switch
            {
                GuardActionKind.Alert => GuardActionType.Alert,
                GuardActionKind.Hold => GuardActionType.Hold,
                _ => GuardActionType.Cap,
            };
            var guardOwner = $"guard '{guard.Name.Text}'";
            var label = BindText(guard.Label, false, guardOwner, source);
            var description = BindText(guard.Description, true, guardOwner, source);
            if (ok) guards.Add(new BoundGuard(guard.Name.Text, condition!, action, capAmount, source, guard.Span) { Label = label, Description = description });
        }

        CheckDistinctChargeLabels(decl, charges, source);
        var pricing = new BoundPricing(decl.Name.Text, baseFee, charges, minimum, cap, guards, currencies.ToArray())
        {
            BaseInAdvance = firstBase is BaseItem { InAdvance: true },
            Parent = decl.Parent?.Text,
        };
        _pricings[pricing.Name] = (pricing, located);
        // Contracts skip currency checks of a pricing already reported as broken: they would only repeat its errors.
        if (_diagnostics.Count > reportedBefore) _brokenPricings.Add(pricing.Name);
    }

    private bool Once(ref PricingItem? first, PricingItem item, string keyword, string owner, SourceText source)
    {
        if (first is null)
        {
            first = item;
            return true;
        }
        Error(source, item.Span, DiagnosticCodes.DuplicateClause,
            $"{owner} already has a '{keyword}' at {Where(source, first.Span)}; keep only one");
        return false;
    }

    /// <summary>Checks currency codes (RB0105) and that no currency is priced twice (RB0103); null when invalid.</summary>
    private ModelPriceList? BindPriceList(SyntaxPriceList list, SourceText source)
    {
        var amounts = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        var ok = true;
        foreach (var price in list.Prices)
        {
            if (!Currencies.IsKnown(price.Currency))
            {
                Error(source, price.Span, DiagnosticCodes.UnknownCurrency, ExpressionBinder.UnknownCurrencyMessage(price.Currency));
                ok = false;
            }
            else if (!amounts.TryAdd(price.Currency, price.Amount))
            {
                Error(source, price.Span, DiagnosticCodes.DuplicateDeclaration,
                    $"this price list gives a price in {price.Currency} twice; keep one price per currency");
                ok = false;
            }
        }
        return ok ? new ModelPriceList(amounts) : null;
    }

    private BoundCharge? BindCharge(ChargeItem charge, SourceText source, Func<SyntaxPriceList, ModelPriceList?> prices)
    {
        var owner = $"charge '{charge.Outcome.Text}'";
        _outcomeDecls.TryGetValue(charge.Outcome.Text, out var outcomeDecl);
        if (outcomeDecl is null)
            Error(source, charge.Outcome.Span, DiagnosticCodes.UnknownOutcome, UnknownOutcomeMessage(charge.Outcome.Text));

        BoundExpr? filter = null;
        if (charge.Where is { } where && outcomeDecl is not null)
        {
            var dimensions = outcomeDecl.Decl.Clauses.OfType<DimensionsClause>().SelectMany(d => d.Entries).Select(e => e.Name.Text).Distinct().ToArray();
            var binder = new ExpressionBinder(source, _diagnostics, new FilterScope(charge.Outcome.Text, dimensions), _scripts);
            filter = binder.BindValue(where);
            binder.Expect(filter, t => t.Kind == TypeKind.Bool, "a charge 'where' filter", "bool");
        }

        ChargeModel? model = null;
        ChargeClause? firstModel = null;
        FreeClause? free = null;
        FreeAmountClause? freeAmount = null;
        ChargeCapClause? cap = null;
        AggregateClause? aggregate = null;
        var ok = true;
        foreach (var clause in charge.Clauses)
        {
            switch (clause)
            {
                case FreeClause f:
                    if (free is not null)
                    {
                        Error(source, f.Span, DiagnosticCodes.DuplicateClause, $"{owner} already has a 'free' clause at {Where(source, free.Span)}; keep only one");
                        break;
                    }
                    free = f;
                    if (f.Units.Value < 0m || decimal.Truncate(f.Units.Value) != f.Units.Value)
                    {
                        Error(source, f.Units.Span, DiagnosticCodes.BadUnitCount, $"free units must be a whole number of at least 0, not {Show(f.Units.Value)}");
                        ok = false;
                    }
                    break;
                case ChargeTextClause:
                    break;
                case AggregateClause a:
                    if (aggregate is not null)
                    {
                        Error(source, a.Span, DiagnosticCodes.DuplicateClause, $"{owner} already has an 'aggregate' clause at {Where(source, aggregate.Span)}; keep only one");
                        break;
                    }
                    aggregate = a;
                    break;
                case FreeAmountClause f:
                    if (freeAmount is not null)
                    {
                        Error(source, f.Span, DiagnosticCodes.DuplicateClause, $"{owner} already has a free amount at {Where(source, freeAmount.Span)}; keep only one");
                        break;
                    }
                    freeAmount = f;
                    break;
                case ChargeCapClause c:
                    if (cap is not null)
                    {
                        Error(source, c.Span, DiagnosticCodes.DuplicateClause, $"{owner} already has a 'cap' at {Where(source, cap.Span)}; keep only one");
                        break;
                    }
                    cap = c;
                    break;
                default:
                    if (firstModel is not null)
                    {
                        Error(source, clause.Span, DiagnosticCodes.ChargeModelCount,
                            $"{owner} already has the '{ModelKeyword(firstModel)}' model at {Where(source, firstModel.Span)}; a charge takes exactly one model — use a second charge with a 'where' filter for different prices");
                        foreach (var list in ModelPrices(clause)) prices(list);
                        break;
                    }
                    firstModel = clause;
                    model = BindModel(clause, outcomeDecl, source, prices);
                    ok &= model is not null;
                    break;
            }
        }
        if (firstModel is null)
        {
            Error(source, charge.Outcome.Span, DiagnosticCodes.ChargeModelCount,
                $"{owner} has no price model; add one of 'unit', 'graduated', 'volume', 'package', 'percent' or 'dynamic'");
            return null;
        }
        if (freeAmount is not null)
        {
            model = WithFreeAmount(model, freeAmount, owner, source, prices);
            ok &= model is not null;
        }
        var capPrices = cap is null ? null : prices(cap.Prices);
        var (label, description) = BindChargeTexts(charge, owner, source);
        var aggregation = aggregate is null ? null : BindAggregation(aggregate, model, outcomeDecl, owner, source);
        if (aggregate is not null && aggregation is null) ok = false;
        if (!ok || model is null || outcomeDecl is null || filter is { Type.IsError: true }) return null;
        return new BoundCharge(charge.Outcome.Text, filter, model, free?.Units.Value ?? 0m, capPrices, source, charge.Span)
        {
            Label = label,
            LabelSpan = charge.Clauses.OfType<ChargeTextClause>().FirstOrDefault(c => !c.IsDescription)?.Text.Span,
            Description = description,
            Aggregation = aggregation,
        };
    }

    private static IEnumerable<SyntaxPriceList> ModelPrices(ChargeClause clause) => clause switch
    {
        UnitClause u => [u.Prices],
        TieredClause t => t.Tiers.Select(x => x.Prices).Concat(ValueModelPrices(t)),
        PackageClause p => [p.Prices],
        PercentClause p => new[] { p.Min, p.Max }.OfType<SyntaxPriceList>().Concat(ValueModelPrices(p)),
        _ => ValueModelPrices(clause),
    };

    private static string ModelKeyword(ChargeClause clause) => clause switch
    {
        UnitClause => "unit",
        TieredClause { Mode: TierMode.Graduated } => "graduated",
        TieredClause => "volume",
        PackageClause => "package",
        ScriptChargeClause => "script",
        GraduatedPercentClause => "graduated percent",
        DynamicClause => "dynamic",
        _ => "percent",
    };

    private ChargeModel? BindModel(ChargeClause clause, Located<OutcomeDecl>? outcome, SourceText source, Func<SyntaxPriceList, ModelPriceList?> prices)
    {
        switch (clause)
        {
            case UnitClause unit:
                return prices(unit.Prices) is { } unitPrice ? new UnitModel(unitPrice) : null;

            case TieredClause tiered:
                return WithFlatFees(tiered, BindTiers(tiered, source, prices), source, prices);

            case GraduatedPercentClause graduatedPercent:
                return BindGraduatedPercent(graduatedPercent, outcome, source, prices);

            case DynamicClause dynamic:
                return BindDynamic(dynamic, outcome, source);

            case ScriptChargeClause script:
                return BindScriptModel(script, source);

            case PackageClause package:
            {
                var size = package.Size.Value;
                var packagePrice = prices(package.Prices);
                if (size <= 0m || decimal.Truncate(size) != size)
                {
                    Error(source, package.Size.Span, DiagnosticCodes.BadUnitCount, $"package size must be a whole number greater than 0, not {Show(size)}");
                    return null;
                }
                return packagePrice is null ? null : new PackageModel(size, packagePrice, package.RoundUp);
            }

            default:
            {
                var percent = (PercentClause)clause;
                var min = percent.Min is null ? null : prices(percent.Min);
                var max = percent.Max is null ? null : prices(percent.Max);
                var fee = percent.Fee is null ? null : prices(percent.Fee);
                var ok = (percent.Min is null || min is not null) && (percent.Max is null || max is not null) && (percent.Fee is null || fee is not null);
                if (outcome is not null && !outcome.Decl.Clauses.OfType<ValueClause>().Any())
                {
                    Error(source, percent.Span, DiagnosticCodes.PercentNeedsValue,
                        $"a percent charge needs the outcome's value, but outcome '{outcome.Decl.Name.Text}' has no 'value' clause; add e.g. 'value order_total' to it");
                    ok = false;
                }
                if (min is not null && max is not null)
                {
                    foreach (var (currency, low) in min.Amounts)
                    {
                        if (max.Amounts.TryGetValue(currency, out var high) && low > high)
                        {
                            Error(source, percent.Min!.Span, DiagnosticCodes.MinAboveMax,
                                $"min {Show(low)} {currency} is above max {Show(high)} {currency}; min must not exceed max");
                            ok = false;
                        }
                    }
                }
                return ok ? new PercentModel(percent.Rate.Percent / 100m, min, max, fee) : null;
            }
        }
    }

    private TieredModel? BindTiers(TieredClause tiered, SourceText source, Func<SyntaxPriceList, ModelPriceList?> prices)
    {
        var ok = true;
        var tiers = new List<TierRule>();
        decimal? previous = null;
        for (var i = 0; i < tiered.Tiers.Count; i++)
        {
            var tier = tiered.Tiers[i];
            var price = prices(tier.Prices);
            ok &= price is not null;
            var last = i == tiered.Tiers.Count - 1;
            if (tier.UpTo is null && !last)
            {
                Error(source, tier.Span, DiagnosticCodes.RestNotLast, "only the last tier may be 'rest'; move this tier to the end or give it an 'up to' bound");
                ok = false;
            }
            else if (tier.UpTo is { } bound)
            {
                if (bound.Value <= 0m || (previous is { } p && bound.Value <= p))
                {
                    var after = previous is { } q ? $" after 'up to {Show(q)}'" : "";
                    Error(source, bound.Span, DiagnosticCodes.TiersNotAscending,
                        $"tier bounds must ascend strictly from above 0, but 'up to {Show(bound.Value)}' comes{(after.Length == 0 ? " first" : after)}");
                    ok = false;
                }
                previous = bound.Value;
                if (last)
                {
                    Error(source, tier.Span, DiagnosticCodes.RestNotLast,
                        "the last tier must be 'rest at …' so that every quantity has a price; add e.g. 'rest at 0.50 USD'");
                    ok = false;
                }
            }
            if (price is not null) tiers.Add(new TierRule(tier.UpTo?.Value, price));
        }
        return ok ? new TieredModel(tiered.Mode == TierMode.Graduated ? TierModeKind.Graduated : TierModeKind.Volume, tiers) : null;
    }

    private static string Show(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
