using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// Drafts the invoice of one contract period from the customer's <see cref="PeriodActivity"/> (as of the period end:
/// <see cref="CustomerActivity.ForInvoice"/>) with <see cref="InvoiceAssembler"/>. It places nothing itself; the
/// customer's issued documents (<c>issued</c>, read only when a carried coupon asks) tell what a fixed <c>once</c>
/// coupon has left (docs/dsl-spec.md §9.14.1).
/// </summary>
internal static class PeriodRater
{
    public static RatedPeriod Rate(string tenant, CustomerActivity activity, ContractPeriod period, Func<IReadOnlyList<Invoice>>? issued = null) =>
        Rate(tenant, activity.Rules, activity.ForInvoice(period), issued);

    public static RatedPeriod Rate(string tenant, CompiledRuleSet rules, PeriodActivity activity, Func<IReadOnlyList<Invoice>>? issued = null)
    {
        var period = activity.Period;
        var customer = activity.Customer;
        var errors = activity.Errors.ToList();
        var currencies = period.Segments.Select(s => s.Version.Currency).Distinct().ToList();
        if (currencies.Count != 1)
        {
            errors.Add(new RatingError(customer, "", $"pricing of contract '{period.Contract}'", DiagnosticCatalogue.PriceListLacksCurrency.Code,
                $"contract '{period.Contract}' changes currency inside the period {Show(period.Period)} ({string.Join(", ", currencies)}); one invoice has one currency"));
            return new RatedPeriod(period, null, errors);
        }

        // The checker guarantees this (RB0402); a rule set that slipped past it is a rating error, never a crash.
        if (activity.Segments.Select(s => s.Plan).FirstOrDefault(p => p.Currencies.Count > 0 && !p.Currencies.Contains(currencies[0])) is { } foreign)
        {
            errors.Add(new RatingError(customer, "", $"pricing of contract '{period.Contract}'", DiagnosticCatalogue.PriceListLacksCurrency.Code,
                $"pricing '{foreign.Name}' has no prices in {currencies[0]}, the currency of contract '{period.Contract}'"));
            return new RatedPeriod(period, null, errors);
        }

        try
        {
            return new RatedPeriod(period, Draft(tenant, rules, activity, issued), errors);
        }
        catch (RuleEvaluationException ex)
        {
            // A fault in pricing (overflow, a guard reading cost in a foreign currency…) concerns the whole invoice.
            errors.Add(new RatingError(customer, "", $"pricing of contract '{period.Contract}'", ex.Code, ex.Message));
            return new RatedPeriod(period, null, errors);
        }
    }

    /// <summary>The invoice of exactly the activity's segments (balances draft a reduced activity to see what the open period takes from credits).</summary>
    public static Invoice Draft(string tenant, CompiledRuleSet rules, PeriodActivity activity, Func<IReadOnlyList<Invoice>>? issued = null) =>
        InvoiceAssembler.Assemble(Request(tenant, rules, activity, issued));

    /// <summary>
    /// <paramref name="lines"/> (some of the activity's invoice lines) with the coupons and taxes the activity's invoice
    /// takes applied to them alone, as that invoice applies them to all its lines; unchanged without coupons or taxes.
    /// A threshold invoice discounts and taxes the usage it bills this way (docs/dsl-spec.md §10.9.1); <paramref name="issued"/>
    /// tells it what a carried coupon has left, as it tells the period's invoice.
    /// </summary>
    public static (IReadOnlyList<InvoiceLine> Lines, IReadOnlyList<InvoiceTax> Taxes) Adjust(
        string tenant, CompiledRuleSet rules, PeriodActivity activity, IReadOnlyList<InvoiceLine> lines, Func<IReadOnlyList<Invoice>>? issued = null)
    {
        var request = Request(tenant, rules, activity, issued);
        if (request.Segments.Count == 0 || (request.Coupons.Count == 0 && request.Taxes.Count == 0)) return (lines, []);
        return new InvoiceAdjustments(request, request.Segments.OrderBy(s => s.From.UtcTicks).ToList()).Apply(lines);
    }

    private static InvoiceRequest Request(string tenant, CompiledRuleSet rules, PeriodActivity activity, Func<IReadOnlyList<Invoice>>? issued = null)
    {
        var period = activity.Period;
        var segments = activity.Segments.Select(s => new InvoiceSegment(s.Segment.Version, s.Plan, s.Segment.Range.From, s.Segment.Range.To,
                s.Outcomes, s.Excluded,
                s.Costs.Select(c => new SegmentCost(c.Outcome, c.Currency, c.Amount)).ToList()))
            .ToList();
        var currency = period.Segments[0].Version.Currency;
        var latest = segments.MaxBy(s => s.From.UtcTicks)?.Version;
        return new InvoiceRequest(tenant, activity.Customer, period.Contract, currency, period.Period.From, period.Period.To, segments, rules.Hash)
        {
            Coupons = AdjustmentSelection.Coupons(rules, segments.Select(s => (s.Version, s.From)).ToList(), activity.Customer, period.Period, issued),
            Taxes = latest is null ? [] : AdjustmentSelection.Taxes(latest, activity.Customer),
        };
    }

    private static string Show(BillingPeriodRange range) => $"{UtcTimestamp.Format(range.From)}..{UtcTimestamp.Format(range.To)}";
}
