using System.Text.RegularExpressions;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;
using PriceList = RulesBilling.Dsl.Model.PriceList;

namespace RulesBilling.Dsl.Binding;

// Coupons and taxes (docs/dsl-spec.md §9.14, §9.15): the declarations, then the clauses that attach them to contract versions.
internal sealed partial class RuleSetBinder
{
    /// <summary>The most periods a coupon can run for: a hundred years of months, far beyond any real promotion.</summary>
    private const int MaxCouponPeriods = 1200;

    private readonly Dictionary<string, CouponRule> _coupons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaxRule> _taxes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _declaredCoupons = new(StringComparer.Ordinal);
    private readonly HashSet<string> _declaredTaxes = new(StringComparer.Ordinal);

    private static readonly string[] TaxModes = ["exclusive", "inclusive"];

    private static readonly Regex Jurisdiction = new("^[A-Z]{2}(-[A-Z0-9]{1,3})?$", RegexOptions.CultureInvariant);

    private void BindCoupon(CouponDecl decl, SourceText source)
    {
        _declaredCoupons.Add(decl.Name.Text);
        var owner = $"coupon '{decl.Name.Text}'";
        var ok = true;
        var values = decl.Items.OfType<CouponValueItem>().ToList();
        var durations = decl.Items.OfType<CouponDurationItem>().ToList();
        ok &= OneItem(values, decl, source, AdjustmentDiagnosticCodes.CouponValue,
            $"{owner} has no value; add 'percent 10%' for a percentage or 'amount 50 USD' for a fixed discount",
            first => $"{owner} already has a value at {first}; a coupon is either a percentage or a fixed amount — declare a second coupon for the other");

        decimal? percent = null;
        PriceList? amount = null;
        if (values.Count > 0 && values[0].Percent is { } rate)
        {
            if (rate.Percent is <= 0m or > 100m)
            {
                Error(source, rate.Span, AdjustmentDiagnosticCodes.BadCouponPercent,
                    $"a percentage coupon takes more than 0% and at most 100%, not {Show(rate.Percent)}%");
                ok = false;
            }
            percent = rate.Percent / 100m;
        }
        else if (values.Count > 0 && values[0].Amount is { } prices)
        {
            amount = BindPriceList(prices, source);
            foreach (var price in prices.Prices.Where(p => p.Amount <= 0m))
            {
                Error(source, price.Span, AdjustmentDiagnosticCodes.BadCouponAmount,
                    $"a fixed coupon takes an amount greater than 0, not {Show(price.Amount)} {price.Currency}");
                ok = false;
            }
            ok &= amount is not null;
        }

        ok &= OneItem(durations, decl, source, AdjustmentDiagnosticCodes.BadCouponDuration,
            $"{owner} has no duration; add 'once', 'for 3 periods' or 'forever'",
            first => $"{owner} already has a duration at {first}; keep only one");
        var (duration, periods) = durations.Count > 0 ? BindDuration(durations[0].Duration, source, ref ok) : (CouponDuration.Once, 1);

        var (label, description) = BindAdjustmentTexts(decl.Items, owner, source);
        if (ok) _coupons[decl.Name.Text] = new CouponRule(decl.Name.Text, label ?? ReadableText.Humanize(decl.Name.Text), description, percent, amount, duration, periods);
    }

    /// <summary>
    /// A coupon or tax item written at most once (and, unless <paramref name="missing"/> is null, at least once): a
    /// missing one is reported at the declaration's name, each extra one at itself, naming where the first is.
    /// </summary>
    private bool OneItem<T>(IReadOnlyList<T> items, Declaration decl, SourceText source, string code, string? missing, Func<string, string> extra)
        where T : AdjustmentItem
    {
        var ok = true;
        if (items.Count == 0 && missing is not null)
        {
            Error(source, decl.Name.Span, code, missing);
            ok = false;
        }
        foreach (var item in items.Skip(1))
        {
            Error(source, item.Span, code, extra(Where(source, items[0].Span)));
            ok = false;
        }
        return ok;
    }

    private (CouponDuration Duration, int Periods) BindDuration(CouponDurationSyntax syntax, SourceText source, ref bool ok)
    {
        switch (syntax.Kind)
        {
            case CouponDurationKind.Once: return (CouponDuration.Once, 1);
            case CouponDurationKind.Forever: return (CouponDuration.Forever, 0);
        }
        var count = syntax.Count!.Value;
        if (count >= 1m && count <= MaxCouponPeriods && decimal.Truncate(count) == count) return (CouponDuration.Periods, (int)count);
        Error(source, syntax.Count.Span, AdjustmentDiagnosticCodes.BadCouponDuration,
            $"a coupon runs for a whole number of periods from 1 to {MaxCouponPeriods}, not {Show(count)}; write 'once' for one period or 'forever'");
        ok = false;
        return (CouponDuration.Once, 1);
    }

    private void BindTax(TaxDecl decl, SourceText source)
    {
        _declaredTaxes.Add(decl.Name.Text);
        var owner = $"tax '{decl.Name.Text}'";
        var ok = true;
        var rates = decl.Items.OfType<TaxRateItem>().ToList();
        ok &= OneItem(rates, decl, source, AdjustmentDiagnosticCodes.BadTaxRate,
            $"{owner} has no rate; add e.g. 'rate 20% exclusive' (added to the lines) or 'rate 20% inclusive' (already inside the prices)",
            first => $"{owner} already has a rate at {first}; declare a second tax for a second rate");

        decimal rate = 0m;
        var inclusive = false;
        if (rates.Count > 0)
        {
            var first = rates[0];
            if (first.Rate.Percent is < 0m or > 100m)
            {
                Error(source, first.Rate.Span, AdjustmentDiagnosticCodes.BadTaxRate,
                    $"a tax rate is from 0% to 100%, not {Show(first.Rate.Percent)}%");
                ok = false;
            }
            rate = first.Rate.Percent / 100m;
            switch (first.Mode.Text)
            {
                case "exclusive": break;
                case "inclusive": inclusive = true; break;
                default:
                    Error(source, first.Mode.Span, AdjustmentDiagnosticCodes.BadTaxMode,
                        $"'{first.Mode.Text}' is not a tax mode{NameSuggestions.DidYouMean(first.Mode.Text, TaxModes)}; write 'exclusive' (the tax is added to the lines) or 'inclusive' (the prices already include it)");
                    ok = false;
                    break;
            }
        }

        string? jurisdiction = null;
        var jurisdictions = decl.Items.OfType<TaxJurisdictionItem>().ToList();
        ok &= OneItem(jurisdictions, decl, source, AdjustmentDiagnosticCodes.BadJurisdiction, missing: null,
            first => $"{owner} already has a jurisdiction at {first}; declare one tax per jurisdiction");
        if (jurisdictions.Count > 0)
        {
            var code = jurisdictions[0].Code;
            if (Jurisdiction.IsMatch(code.Value)) jurisdiction = code.Value;
            else
            {
                Error(source, code.Span, AdjustmentDiagnosticCodes.BadJurisdiction,
                    $"\"{code.Value}\" is not a jurisdiction; use an ISO 3166 country code such as \"GB\" or \"DE\", or a subdivision such as \"US-CA\"");
                ok = false;
            }
        }

        var (label, _) = BindAdjustmentTexts(decl.Items, owner, source);
        if (ok) _taxes[decl.Name.Text] = new TaxRule(decl.Name.Text, label ?? ReadableText.Humanize(decl.Name.Text), rate, inclusive, jurisdiction);
    }

    private (string? Label, string? Description) BindAdjustmentTexts(NodeList<AdjustmentItem> items, string owner, SourceText source)
    {
        AdjustmentTextItem? label = null, description = null;
        foreach (var item in items.OfType<AdjustmentTextItem>())
        {
            ref var first = ref item.IsDescription ? ref description : ref label;
            if (first is not null)
            {
                Error(source, item.Span, DiagnosticCodes.DuplicateClause,
                    $"{owner} already has a '{(item.IsDescription ? "description" : "label")}' at {Where(source, first.Span)}; keep only one");
                continue;
            }
            first = item;
        }
        return (BindText(label?.Text, false, owner, source), BindText(description?.Text, true, owner, source));
    }

    /// <summary>
    /// The coupon and tax clauses of one contract version. <paramref name="currency"/> is null when the version has no
    /// valid currency (then fixed coupons are not checked against it); <paramref name="end"/> is where the version stops.
    /// </summary>
    private (List<AttachedCoupon> Coupons, List<AttachedTax> Taxes) BindAdjustmentClauses(
        ContractDecl decl, SourceText source, string label, string? currency, CustomersItem? customers, ref bool valid)
    {
        var coupons = new List<AttachedCoupon>();
        var taxes = new List<AttachedTax>();
        var seen = new Dictionary<string, ContractItem>(StringComparer.Ordinal);
        foreach (var item in decl.Items)
        {
            switch (item)
            {
                case CouponRefItem c:
                    if (!Once(c.Coupon, "coupon", item)) { valid = false; break; }
                    if (BindCouponRef(c, decl, source, label, currency, customers) is { } coupon) coupons.Add(coupon);
                    else valid = false;
                    break;
                case TaxRefItem t:
                    if (!Once(t.Tax, "tax", item)) { valid = false; break; }
                    if (BindTaxRef(t, source, label, customers) is { } tax) taxes.Add(tax);
                    else valid = false;
                    break;
            }
        }

        if (taxes.Select(t => t.Tax.Inclusive).Distinct().Count() > 1)
        {
            var firstInclusive = taxes.First(t => t.Tax.Inclusive).Tax.Name;
            var firstExclusive = taxes.First(t => !t.Tax.Inclusive).Tax.Name;
            var span = decl.Items.OfType<TaxRefItem>().Last().Span;
            Error(source, span, AdjustmentDiagnosticCodes.MixedTaxModes,
                $"{label} attaches inclusive tax '{firstInclusive}' and exclusive tax '{firstExclusive}'; its prices either include tax or they do not — make them all inclusive or all exclusive");
            valid = false;
        }
        return (coupons, taxes);

        bool Once(Identifier name, string kind, ContractItem item)
        {
            if (seen.TryAdd(kind + ":" + name.Text, item)) return true;
            Error(source, name.Span, AdjustmentDiagnosticCodes.AttachedTwice,
                $"{kind} '{name.Text}' is attached twice to {label} (first at {Where(source, seen[kind + ":" + name.Text].Span)}); keep one clause");
            return false;
        }
    }

    private AttachedCoupon? BindCouponRef(CouponRefItem item, ContractDecl decl, SourceText source, string label, string? currency, CustomersItem? customers)
    {
        var name = item.Coupon.Text;
        if (!_coupons.TryGetValue(name, out var coupon))
        {
            // A declared coupon that failed its own checks is already reported; do not report every clause of it too.
            if (!_declaredCoupons.Contains(name))
            {
                Error(source, item.Coupon.Span, AdjustmentDiagnosticCodes.UnknownCoupon,
                    $"unknown coupon '{name}'{NameSuggestions.DidYouMean(name, _declaredCoupons)} in {label}; declared coupons: {NameSuggestions.List(_declaredCoupons)}");
            }
            return null;
        }

        var ok = true;
        if (coupon.Amount is { } amount && currency is not null && !amount.Has(currency))
        {
            Error(source, item.Coupon.Span, AdjustmentDiagnosticCodes.CouponLacksCurrency,
                $"coupon '{name}' has no amount in {currency}, the currency of {label}; add one, e.g. 'amount …, 50 {currency}'");
            ok = false;
        }
        ok &= CheckOwnCustomers(item.Customers, customers, $"coupon '{name}'", label, source);

        var (duration, periods) = (coupon.Duration, coupon.Periods);
        if (item.Duration is { } syntax) (duration, periods) = BindDuration(syntax, source, ref ok);

        var from = decl.Effective.Value;
        if (item.From is { } date)
        {
            if (date.Value < decl.Effective.Value || (decl.Until is { } until && date.Value >= until.Value))
            {
                var range = decl.Until is { } end ? $"from {Date(decl.Effective.Value)} until {Date(end.Value)}" : $"from {Date(decl.Effective.Value)}";
                Error(source, date.Span, AdjustmentDiagnosticCodes.CouponFromOutsideVersion,
                    $"coupon '{name}' starts on {Date(date.Value)}, but {label} is in force {range}; start it inside that range, or attach it to the version in force then");
                ok = false;
            }
            from = date.Value;
        }
        return ok ? new AttachedCoupon(coupon, duration, periods, from, item.Customers.Select(c => c.Value).Distinct(StringComparer.Ordinal).ToArray()) : null;
    }

    private AttachedTax? BindTaxRef(TaxRefItem item, SourceText source, string label, CustomersItem? customers)
    {
        var name = item.Tax.Text;
        if (!_taxes.TryGetValue(name, out var tax))
        {
            if (!_declaredTaxes.Contains(name))
            {
                Error(source, item.Tax.Span, AdjustmentDiagnosticCodes.UnknownTax,
                    $"unknown tax '{name}'{NameSuggestions.DidYouMean(name, _declaredTaxes)} in {label}; declared taxes: {NameSuggestions.List(_declaredTaxes)}");
            }
            return null;
        }
        return CheckOwnCustomers(item.Customers, customers, $"tax '{name}'", label, source)
            ? new AttachedTax(tax, item.Customers.Select(c => c.Value).Distinct(StringComparer.Ordinal).ToArray())
            : null;
    }

    /// <summary>RB0713: a clause's customers must be customers the version bills (any customer, for a default contract).</summary>
    private bool CheckOwnCustomers(NodeList<StringLiteral> listed, CustomersItem? billed, string what, string label, SourceText source)
    {
        if (billed is null || billed.IsDefault) return true;
        var ok = true;
        var own = billed.Customers.Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var customer in listed.Where(c => !own.Contains(c.Value)))
        {
            var hint = NameSuggestions.DidYouMean(customer.Value, own).Replace('\'', '"');
            Error(source, customer.Span, AdjustmentDiagnosticCodes.ForeignCustomer,
                $"{what} names customer \"{customer.Value}\"{hint}, but {label} does not bill it; its customers: {string.Join(", ", own.Order(StringComparer.Ordinal).Select(c => $"\"{c}\""))}");
            ok = false;
        }
        return ok;
    }
}
