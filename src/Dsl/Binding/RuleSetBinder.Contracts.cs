using System.Globalization;
using System.Text.RegularExpressions;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;
using SyntaxPriceList = RulesBilling.Dsl.Syntax.PriceList;

namespace RulesBilling.Dsl.Binding;

// Contract versions: each version on its own, then the versions of a contract together, then customers across contracts.
internal sealed partial class RuleSetBinder
{
    /// <summary>What one contract version declares; <see cref="Valid"/> is false when it cannot be compiled.</summary>
    private sealed record VersionInfo(
        Located<ContractDecl> Located,
        int? Number,
        CustomersItem? Customers,
        string? Pricing,
        string? Currency,
        BillingPeriod? Period,
        bool Valid)
    {
        public decimal? Rounding { get; init; }

        public string? TimeZone { get; init; }

        public TierPosition Tiers { get; init; }

        public CorrectionMode Corrections { get; init; }
        public ThresholdSchedule? Thresholds { get; init; }
        public IReadOnlyList<AttachedCoupon> Coupons { get; init; } = [];

        public IReadOnlyList<AttachedTax> Taxes { get; init; } = [];

        public ContractDecl Decl => Located.Decl;
        public DateOnly From => Decl.Effective.Value;
        public string Label => $"contract '{Decl.Name.Text}' version {(Number?.ToString(CultureInfo.InvariantCulture) ?? "?")}";
    }

    private List<BoundContract> BindContracts(IReadOnlyList<Located<ContractDecl>> declarations)
    {
        var versions = declarations.Select(BindContractVersion).ToList();
        var result = new List<BoundContract>();
        var inForce = new List<(VersionInfo Info, DateOnly? End)>();
        foreach (var group in versions.GroupBy(v => v.Decl.Name.Text, StringComparer.Ordinal))
        {
            var distinct = new List<VersionInfo>();
            foreach (var version in group)
            {
                if (version.Number is { } n && distinct.Find(d => d.Number == n) is { } earlier)
                {
                    Error(version.Located.Source, version.Decl.Version.Span, DiagnosticCodes.DuplicateContractVersion,
                        $"{version.Label} is already declared at {Where(earlier.Located.Source, earlier.Decl.Version.Span)}; give the new version the next number");
                    continue;
                }
                distinct.Add(version);
            }

            var ordered = distinct.OrderBy(v => v.From).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var current = ordered[i];
                var next = i + 1 < ordered.Count ? ordered[i + 1] : null;
                if (next is not null) CheckSuccession(current, next);
                var end = current.Decl.Until?.Value ?? next?.From;
                inForce.Add((current, end));
                if (current.Valid && current.Number is { } number)
                {
                    var model = new ContractVersion(current.Decl.Name.Text, number, current.From, end, current.Customers!.IsDefault,
                        current.Customers.Customers.Select(c => c.Value).Distinct(StringComparer.Ordinal).ToArray(),
                        current.Pricing!, current.Currency!, current.Period!, "", current.Located.Source.Path)
                    {
                        RoundingIncrement = current.Rounding,
                        TimeZone = current.TimeZone,
                        Tiers = current.Tiers,
                        Corrections = current.Corrections,
                        Thresholds = current.Thresholds,
                        Coupons = current.Coupons,
                        Taxes = current.Taxes,
                    };
                    result.Add(new BoundContract(model, current.Located.Source));
                }
            }
        }
        CheckCustomersBoundOnce(inForce);
        return result.OrderBy(c => c.Version.Contract, StringComparer.Ordinal).ThenBy(c => c.Version.Version).ToList();
    }

    /// <summary>RB0404/RB0405 between a version and the next one by effective date.</summary>
    private void CheckSuccession(VersionInfo current, VersionInfo next)
    {
        var source = next.Located.Source;
        if (next.From == current.From)
        {
            Error(source, next.Decl.Effective.Span, DiagnosticCodes.OverlappingVersions,
                $"{next.Label} takes effect on {Date(next.From)} like {current.Label}; each version needs its own effective date");
            return;
        }
        if (current.Decl.Until is { } until && until.Value > next.From)
        {
            Error(current.Located.Source, until.Span, DiagnosticCodes.OverlappingVersions,
                $"{current.Label} runs until {Date(until.Value)}, after {next.Label} takes effect on {Date(next.From)}; end it on or before {Date(next.From)}");
        }
        if (current.Number is { } a && next.Number is { } b && a > b)
        {
            Error(source, next.Decl.Version.Span, DiagnosticCodes.VersionOrder,
                $"{next.Label} takes effect on {Date(next.From)}, after version {a} ({Date(current.From)}); version numbers must increase with effective dates");
        }
    }

    private VersionInfo BindContractVersion(Located<ContractDecl> located)
    {
        var (decl, source) = (located.Decl, located.Source);
        var label = $"contract '{decl.Name.Text}'";
        var valid = true;

        int? number = null;
        var raw = decl.Version.Value;
        if (raw >= 1m && raw <= int.MaxValue && decimal.Truncate(raw) == raw) number = (int)raw;
        else
        {
            Error(source, decl.Version.Span, DiagnosticCodes.VersionOrder, $"a contract version must be a whole number from 1 up, not {Show(raw)}");
            valid = false;
        }
        if (decl.Until is { } until && until.Value <= decl.Effective.Value)
        {
            Error(source, until.Span, DiagnosticCodes.OverlappingVersions,
                $"{label} ends on {Date(until.Value)}, not after it takes effect on {Date(decl.Effective.Value)}; 'until' must be a later date");
            valid = false;
        }

        CustomersItem? customers = null;
        PricingRefItem? pricingRef = null;
        CurrencyItem? currencyItem = null;
        PeriodItem? periodItem = null;
        RoundingItem? roundingItem = null;
        TimezoneItem? timezoneItem = null;
        TiersItem? tiersItem = null;
        CorrectionsItem? correctionsItem = null;
        ThresholdsItem? thresholdsItem = null;
        foreach (var item in decl.Items)
        {
            var ok = item switch
            {
                CustomersItem c => OnceItem(ref customers, c, "customers", label, source),
                PricingRefItem p => OnceItem(ref pricingRef, p, "pricing", label, source),
                CurrencyItem c => OnceItem(ref currencyItem, c, "currency", label, source),
                PeriodItem p => OnceItem(ref periodItem, p, "period", label, source),
                RoundingItem r => OnceItem(ref roundingItem, r, "round to", label, source),
                TimezoneItem t => OnceItem(ref timezoneItem, t, "timezone", label, source),
                TiersItem t => OnceItem(ref tiersItem, t, "tiers", label, source),
                CorrectionsItem c => OnceItem(ref correctionsItem, c, "corrections", label, source),
                ThresholdsItem t => OnceItem(ref thresholdsItem, t, "thresholds", label, source),
                _ => true,
            };
            valid &= ok;
        }

        if (customers is null)
        {
            Error(source, decl.Name.Span, DiagnosticCodes.MissingClause,
                $"{label} has no 'customers' clause; add 'customers default' or 'customers \"acme\", \"globex\"'");
            valid = false;
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var customer in customers.Customers)
            {
                if (!seen.Add(customer.Value))
                    Error(source, customer.Span, DiagnosticCodes.DuplicateDeclaration, $"customer \"{customer.Value}\" is listed twice in {label}; remove one");
            }
        }

        BoundPricing? pricing = null;
        Located<PricingDecl>? pricingDecl = null;
        if (pricingRef is null)
        {
            Error(source, decl.Name.Span, DiagnosticCodes.MissingClause, $"{label} has no 'pricing' clause; add e.g. 'pricing standard'");
            valid = false;
        }
        else if (_pricings.TryGetValue(pricingRef.Pricing.Text, out var found))
        {
            (pricing, pricingDecl) = found;
        }
        else
        {
            Error(source, pricingRef.Pricing.Span, DiagnosticCodes.UnknownPricing,
                $"unknown pricing '{pricingRef.Pricing.Text}'{NameSuggestions.DidYouMean(pricingRef.Pricing.Text, _pricings.Keys)}; declared pricings: {NameSuggestions.List(_pricings.Keys)}");
            valid = false;
        }

        string? currency = null;
        if (currencyItem is not null)
        {
            if (Currencies.IsKnown(currencyItem.Currency.Text)) currency = currencyItem.Currency.Text;
            else
            {
                Error(source, currencyItem.Currency.Span, DiagnosticCodes.UnknownCurrency, ExpressionBinder.UnknownCurrencyMessage(currencyItem.Currency.Text));
                valid = false;
            }
        }
        else if (pricing is not null && _brokenPricings.Contains(pricing.Name))
        {
            valid = false;
        }
        else if (pricing is not null)
        {
            if (pricing.Currencies.Count == 1) currency = pricing.Currencies[0];
            else
            {
                var why = pricing.Currencies.Count == 0 ? "has no prices to take it from" : $"has prices in {string.Join(", ", pricing.Currencies)}";
                Error(source, decl.Name.Span, DiagnosticCodes.MissingClause,
                    $"{label} needs a 'currency' clause because pricing '{pricing.Name}' {why}; add e.g. 'currency {(pricing.Currencies.Count > 0 ? pricing.Currencies[0] : "USD")}'");
                valid = false;
            }
        }

        var period = BindPeriod(periodItem, source);
        valid &= period is not null;

        var rounding = currency is null ? null : BindRounding(roundingItem, currency, label, decl.Name.Span, source, ref valid);
        var timeZone = BindTimeZone(timezoneItem, source, ref valid);
        var tiers = BindTierPosition(tiersItem, source, ref valid);
        var corrections = BindCorrectionMode(correctionsItem, source, ref valid);
        var thresholds = thresholdsItem is null || currency is null ? null : BindThresholds(thresholdsItem, currency, label, source, ref valid);
        var versionLabel = $"{label} version {(number?.ToString(CultureInfo.InvariantCulture) ?? "?")}";
        var (coupons, taxes) = BindAdjustmentClauses(decl, source, versionLabel, currency, customers, ref valid);
        var info = new VersionInfo(located, number, customers, pricing?.Name, currency, period, valid)
        {
            Rounding = rounding,
            TimeZone = timeZone,
            Tiers = tiers,
            Corrections = corrections,
            Thresholds = thresholds,
            Coupons = coupons,
            Taxes = taxes,
        };
        if (pricing is not null && pricingDecl is not null && currency is not null && !_brokenPricings.Contains(pricing.Name))
            valid &= CheckPricingForCurrency(info, pricing, pricingDecl, currency);
        valid &= pricing is null || !_brokenPricings.Contains(pricing.Name);
        return info with { Valid = valid };
    }

    /// <summary>
    /// The contract's <c>round to</c> increment: positive, in the contract currency, a whole number of its minor
    /// units (RB0408). A three-decimal currency needs one (RB0409): the payment providers take KWD, BHD, JOD, OMR
    /// and TND only in multiples of 0.010, so the contract decides (0.010 to send it to a provider, 0.001 to bill
    /// fils), never the push.
    /// </summary>
    private decimal? BindRounding(RoundingItem? item, string currency, string label, TextSpan name, SourceText source, ref bool valid)
    {
        var digits = Currencies.MinorUnits(currency);
        if (item is null)
        {
            if (digits < 3) return null;
            var minor = (1m / Pow10(digits)).ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            var provider = (10m / Pow10(digits)).ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            Error(source, name, DiagnosticCodes.MissingRounding,
                $"{label} bills {currency}, which has {digits} decimals, but Stripe and Razorpay take {currency} only in multiples of {provider}; add 'round to {provider} {currency}' to send its invoices to a provider, or 'round to {minor} {currency}' to bill every {minor}");
            valid = false;
            return null;
        }
        var increment = item.Increment;
        string? problem = null;
        if (increment.Currency != currency) problem = $"is in {increment.Currency}, but {label} bills {currency}";
        else if (increment.Amount <= 0m) problem = "must be greater than 0";
        else if (Math.Round(increment.Amount, digits) != increment.Amount) problem = $"is finer than {currency}'s {digits} decimal(s)";
        if (problem is null) return increment.Amount;
        Error(source, increment.Span, DiagnosticCodes.BadRounding, $"'round to {Show(increment.Amount)} {increment.Currency}' {problem}");
        valid = false;
        return null;
    }

    private static decimal Pow10(int digits)
    {
        var result = 1m;
        for (var i = 0; i < digits; i++) result *= 10m;
        return result;
    }

    private bool OnceItem<T>(ref T? first, T item, string keyword, string owner, SourceText source) where T : ContractItem
    {
        if (first is null)
        {
            first = item;
            return true;
        }
        Error(source, item.Span, DiagnosticCodes.DuplicateClause, $"{owner} already has a '{keyword}' clause at {Where(source, first.Span)}; keep only one");
        return false;
    }

    private static readonly Regex IsoPeriodPattern = new(@"^P(?:(\d{1,4})Y)?(?:(\d{1,4})M)?(?:(\d{1,4})W)?(?:(\d{1,5})D)?$", RegexOptions.CultureInvariant);

    /// <summary>An ISO 8601 duration of whole years, months, weeks and days, not all zero (a week is 7 days); else null.</summary>
    private static IsoPeriod? ParseIsoPeriod(string iso)
    {
        var match = IsoPeriodPattern.Match(iso);
        if (!match.Success) return null;
        int Part(int group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        var (years, months, days) = (Part(1), Part(2), Part(3) * 7 + Part(4));
        return years + months + days > 0 ? new IsoPeriod(iso, years, months, days) : null;
    }

    private BillingPeriod? BindPeriod(PeriodItem? item, SourceText source)
    {
        if (item is null) return new MonthlyPeriod(1);
        if (item.IsoDuration is null)
        {
            var anchor = item.Anchor ?? 1;
            if (anchor is >= 1 and <= 31) return new MonthlyPeriod(anchor);
            Error(source, item.Span, DiagnosticCodes.BadPeriod, $"the monthly anchor must be a day from 1 to 31, not {anchor}");
            return null;
        }
        var iso = item.IsoDuration.Value;
        if (ParseIsoPeriod(iso) is { } period) return period;
        Error(source, item.IsoDuration.Span, DiagnosticCodes.BadPeriod,
            $"\"{iso}\" is not a billing period; use 'monthly' or an ISO 8601 duration of whole days, weeks, months or years such as \"P1W\", \"P3M\" or \"P1Y\"");
        return null;
    }

    /// <summary>RB0402 (every price list has the contract currency), RB0202 (percent values) and RB0401 (guard costs, read by cost() and margin()).</summary>
    private bool CheckPricingForCurrency(VersionInfo version, BoundPricing pricing, Located<PricingDecl> pricingDecl, string currency)
    {
        var ok = true;
        var where = $"{version.Label} ({Where(version.Located.Source, version.Decl.Name.Span)})";
        foreach (var (list, listSource) in EffectiveItems(pricingDecl).SelectMany(i => PriceListsOf(i.Item).Select(l => (l, i.Source))))
        {
            if (list.Prices.All(p => Currencies.IsKnown(p.Currency)) && list.Prices.All(p => p.Currency != currency))
            {
                Error(listSource, list.Span, DiagnosticCodes.PriceListLacksCurrency,
                    $"this price list has no price in {currency}, the currency of {where}; add one, e.g. '…, 10 {currency}'");
                ok = false;
            }
        }

        foreach (var (charge, chargeSource) in EffectiveItems(pricingDecl).Where(i => i.Item is ChargeItem).Select(i => ((ChargeItem)i.Item, i.Source)))
        {
            if (charge.Clauses.FirstOrDefault(PricesValue) is not { } percent) continue;
            if (_outcomes.TryGetValue(charge.Outcome.Text, out var outcome) && outcome.Value?.Type is { IsMoney: true, Currency: var valueCurrency } && valueCurrency != currency)
            {
                Error(chargeSource, percent.Span, DiagnosticCodes.CurrencyMismatch,
                    percent is DynamicClause
                        ? $"this charge bills the prices carried on outcome '{outcome.Name}' in {valueCurrency}, but {where} bills in {currency}; use one currency"
                        : $"this charge takes a percent of outcome '{outcome.Name}' values in {valueCurrency}, but {where} bills in {currency}; use one currency");
                ok = false;
            }
        }

        foreach (var guard in pricing.Guards)
        {
            foreach (var call in BoundTree.DescendantsAndSelf(guard.Condition).OfType<BoundGuardCall>().Where(c => c.Function is GuardFunction.Cost or GuardFunction.Margin))
            {
                var foreign = _costs.Where(c => call.Outcome is null || c.Outcome == call.Outcome)
                    .Where(c => c.Amount.Type.Currency != currency)
                    .OrderBy(c => c.Name, StringComparer.Ordinal)
                    .ToArray();
                if (foreign.Length == 0) continue;
                Error(guard.Source, call.Span, DiagnosticCodes.GuardCostCurrency,
                    $"{call.Function.ToString().ToLowerInvariant()}() here reads cost '{foreign[0].Name}' in {foreign[0].Amount.Type.Currency}, but {where} bills in {currency}; " +
                    $"a guard compares costs in the contract currency, so give the cost amounts in {currency}");
                ok = false;
            }
        }
        return ok;
    }

    private static IEnumerable<SyntaxPriceList> PriceListsOf(PricingItem item)
    {
        {
            switch (item)
            {
                case BaseItem b: yield return b.Prices; break;
                case MinimumItem m: yield return m.Prices; break;
                case CapItem c: yield return c.Prices; break;
                case GuardItem { Action.CapAmount: { } cap }: yield return cap; break;
                case ChargeItem charge:
                    foreach (var clause in charge.Clauses)
                    {
                        foreach (var list in ModelPrices(clause)) yield return list;
                        if (clause is ChargeCapClause chargeCap) yield return chargeCap.Prices;
                    }
                    break;
            }
        }
    }

    /// <summary>RB0406: a customer (or the default slot) bound to two different contracts at overlapping times.</summary>
    private void CheckCustomersBoundOnce(List<(VersionInfo Info, DateOnly? End)> versions)
    {
        var entries = new List<(string Key, VersionInfo Info, DateOnly? End, TextSpan Span)>();
        foreach (var (info, end) in versions.OrderBy(v => v.Info.Located.Source.Path, StringComparer.Ordinal).ThenBy(v => v.Info.Decl.Span.Start))
        {
            if (info.Customers is not { } customers) continue;
            if (customers.IsDefault) entries.Add(("", info, end, customers.Span));
            foreach (var customer in customers.Customers.DistinctBy(c => c.Value)) entries.Add((customer.Value, info, end, customer.Span));
        }

        var reported = new HashSet<(string, string, string)>();
        for (var i = 0; i < entries.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var (later, earlier) = (entries[i], entries[j]);
                if (later.Key != earlier.Key || later.Info.Decl.Name.Text == earlier.Info.Decl.Name.Text) continue;
                var overlaps = (earlier.End is null || later.Info.From < earlier.End) && (later.End is null || earlier.Info.From < later.End);
                if (!overlaps || !reported.Add((later.Key, earlier.Info.Decl.Name.Text, later.Info.Decl.Name.Text))) continue;
                var at = $"{earlier.Info.Label} ({Where(earlier.Info.Located.Source, earlier.Span)})";
                var message = later.Key.Length == 0
                    ? $"{later.Info.Label} is a default contract at the same time as {at}; only one contract can be the default at a time — end one with 'until'"
                    : $"customer \"{later.Key}\" is also bound to {at} at the same time; a customer has one contract at a time — remove it from one list or end one contract with 'until'";
                Error(later.Info.Located.Source, later.Span, DiagnosticCodes.CustomerInTwoContracts, message);
            }
        }
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
