using System.Globalization;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// Coupons and taxes, after every segment's lines and the guards (docs/dsl-spec.md §9.10 steps 6–7, §9.14, §9.15):
/// each coupon in turn discounts what the earlier lines and coupons leave (never below zero), with a line of its own;
/// then each line, coupon lines included, carries its tax, rounded half-up per line; an exclusive tax adds one line of
/// Σ its per-line amounts. A coupon of only some segments' versions discounts only their lines (§9.14.2) and its line
/// belongs to the latest of them; every other coupon line and the tax lines belong to the invoice's latest segment.
/// Prepaid credits come after.
/// </summary>
internal sealed class InvoiceAdjustments(InvoiceRequest request, IReadOnlyList<InvoiceSegment> segments)
{
    private readonly InvoiceSegment latest = segments[^1];
    private readonly string currency = request.Currency;
    private readonly decimal? increment = segments[^1].Version.RoundingIncrement;

    public (List<InvoiceLine> Lines, IReadOnlyList<InvoiceTax> Taxes) Apply(IReadOnlyList<InvoiceLine> lines)
    {
        var result = lines.ToList();
        var remaining = result.Sum(l => l.Amount);
        // What each segment's lines leave to discount, for the coupons of only some segments (§9.14.2).
        var left = segments.ToDictionary(s => s.From, s => result.Where(l => l.SegmentFrom == s.From).Sum(l => l.Amount));
        for (var i = 0; i < request.Coupons.Count; i++)
        {
            var active = request.Coupons[i];
            var own = active.Segments is { } starts ? segments.Where(s => starts.Contains(s.From)).ToList() : segments;
            // Never more than the whole invoice leaves, so no coupon makes it negative.
            var base_ = active.Segments is null ? Math.Max(remaining, 0m) : Math.Min(Math.Max(own.Sum(s => left[s.From]), 0m), Math.Max(remaining, 0m));
            var line = CouponLine(active, i, base_, own);
            remaining += line.Amount;
            Take(left, own, -line.Amount);
            result.Add(line);
        }
        if (request.Taxes.Count == 0) return (result, []);

        var inclusiveRates = request.Taxes.Where(t => t.Inclusive).Sum(t => t.Rate);
        var taxed = result.Select(line => line with
        {
            Taxes = request.Taxes.Select(tax => new LineTax(tax.Name, Round(tax.Inclusive
                ? line.Amount * tax.Rate / (1m + inclusiveRates)
                : line.Amount * tax.Rate))).ToList(),
        }).ToList();

        var summaries = new List<InvoiceTax>();
        for (var i = 0; i < request.Taxes.Count; i++)
        {
            var tax = request.Taxes[i];
            var amount = taxed.Sum(l => l.Taxes[i].Amount);
            var gross = taxed.Sum(l => l.Amount);
            var taxable = tax.Inclusive ? gross - taxed.Sum(l => l.Taxes.Sum(t => t.Amount)) : gross;
            summaries.Add(new InvoiceTax(tax.Name, tax.Label, tax.Rate, tax.Inclusive, tax.Jurisdiction, taxable, amount));
        }
        var taxLines = request.Taxes.Select((tax, index) => (tax, index)).Where(t => !t.tax.Inclusive)
            .Select(t => TaxLine(t.tax, t.index, summaries[t.index], taxed.Count(l => l.Taxes[t.index].Amount != 0m)))
            .ToList();
        return ([.. taxed, .. taxLines], summaries);
    }

    /// <summary>A discount is taken from its segments in proportion to what each of them leaves.</summary>
    private static void Take(Dictionary<DateTimeOffset, decimal> left, IReadOnlyList<InvoiceSegment> own, decimal discount)
    {
        var positive = own.Sum(s => Math.Max(left[s.From], 0m));
        if (discount == 0m || positive == 0m) return;
        var shares = own.Select(s => (s.From, Share: discount * Math.Max(left[s.From], 0m) / positive)).ToList();
        foreach (var (from, share) in shares) left[from] -= share;
    }

    private InvoiceLine CouponLine(ActiveCoupon active, int index, decimal base_, IReadOnlyList<InvoiceSegment> own)
    {
        var coupon = active.Attached.Coupon;
        decimal exact;
        string text;
        if (coupon.Percent is { } percent)
        {
            exact = base_ * percent;
            text = $"{Rate(percent)} of {LineBreakdown.P(base_, currency)} {LineBreakdown.Is(exact, currency)}";
        }
        else
        {
            var amount = coupon.Amount!.In(currency);
            var available = active.Left is { } left ? Math.Min(left, amount) : amount;
            exact = Math.Min(available, base_);
            text = active.Left is not null && exact < amount
                ? Carried(amount, amount - available, exact, base_)
                : exact < amount
                    ? $"{LineBreakdown.P(amount, currency)}, limited to the {LineBreakdown.P(base_, currency)} left to discount"
                    : $"{LineBreakdown.P(amount, currency)} off";
        }
        // A percentage of a rounded amount rounds to at most that amount, so the discount never exceeds what is left;
        // a carried coupon never gives more than the part of it still unused.
        var discount = Math.Min(Math.Min(Round(exact), base_), active.Left ?? decimal.MaxValue);
        var period = active.Of == 1 ? "once" : active.Of is { } of
            ? $"period {active.Period.ToString(CultureInfo.InvariantCulture)} of {of.ToString(CultureInfo.InvariantCulture)}"
            : $"period {active.Period.ToString(CultureInfo.InvariantCulture)}, forever";
        if (active.Left is { } before && before < coupon.Amount!.In(currency)) period += $", carried: {LineBreakdown.P(before, currency)} left from earlier invoices";
        if (active.Segments is not null)
        {
            var versions = own.Select(s => s.Version.Version).Distinct().Select(v => v.ToString(CultureInfo.InvariantCulture)).ToList();
            period += $"; on the lines of {LineBreakdown.Plural(versions.Count, "version")} {string.Join(", ", versions)} only";
        }
        var note = base_ == 0m ? $"coupon, {period}; nothing left to discount" : $"coupon, {period}";
        return Line(own[^1], LineKind.Coupon, coupon.Name, index, coupon.Label, -discount, note,
            [new LineStep("coupon", "−" + text, null, null, -exact)], coupon.Description);
    }

    /// <summary>A fixed <c>once</c> coupon used in part (§9.14.1): "X of Y used, Z left".</summary>
    private string Carried(decimal amount, decimal usedBefore, decimal now, decimal base_)
    {
        var used = usedBefore + now;
        var limit = now < amount - usedBefore ? $", limited to the {LineBreakdown.P(base_, currency)} left to discount" : "";
        var rest = amount - used > 0m ? " for the next invoices" : "";
        return $"{LineBreakdown.P(now, currency)}{limit}: {LineBreakdown.P(used, currency)} of {LineBreakdown.P(amount, currency)} used, {LineBreakdown.P(amount - used, currency)} left{rest}";
    }

    private InvoiceLine TaxLine(TaxRule tax, int index, InvoiceTax summary, int taxedLines)
    {
        var where = tax.Jurisdiction is { } j ? $" ({j})" : "";
        var text = $"{Rate(tax.Rate)} of {LineBreakdown.P(summary.Taxable, currency)}, rounded per line ({taxedLines.ToString(CultureInfo.InvariantCulture)} {LineBreakdown.Plural(taxedLines, "line")}) {LineBreakdown.Is(summary.Amount, currency)}";
        return Line(latest, LineKind.Tax, tax.Name, index, $"{tax.Label} {Rate(tax.Rate)}{where}", summary.Amount,
            "exclusive tax: Σ of the per-line tax, each rounded half-up", [new LineStep("tax", text, null, null, summary.Amount)], null);
    }

    private InvoiceLine Line(InvoiceSegment segment, LineKind kind, string rule, int index, string description, decimal amount, string note, IReadOnlyList<LineStep> steps, string? explanation)
    {
        var id = DeterministicId.For("line", request.Tenant, request.Customer, request.Contract,
            UtcTimestamp.Format(request.PeriodFrom), UtcTimestamp.Format(request.PeriodTo),
            UtcTimestamp.Format(segment.From), UtcTimestamp.Format(segment.To),
            InvoiceNames.Of(kind), rule, index.ToString(CultureInfo.InvariantCulture));
        var off = amount - steps.Sum(s => s.Amount);
        if (CurrencyMath.RoundHalfUp(off, currency) != 0m)
        {
            // Rounding to the contract's increment moves the line off its exact step: the move is a step of its own.
            steps = [.. steps, new LineStep("rounding", $"rounded: {(off < 0m ? "−" : "+")}{LineBreakdown.P(Math.Abs(off), currency)}", null, null, off)];
        }
        return new InvoiceLine(id, kind, description, rule, segment.Version.Contract, segment.Version.Version, segment.Version.SourceHash,
            segment.From, segment.To, 1m, null, amount, [], [], [], [], note)
        {
            Breakdown = steps,
            Explanation = explanation,
        };
    }

    private decimal Round(decimal exact) => increment is { } step
        ? CurrencyMath.RoundHalfUp(Math.Round(exact / step, 0, MidpointRounding.AwayFromZero) * step, currency)
        : CurrencyMath.RoundHalfUp(exact, currency);

    private static string Rate(decimal rate) => CurrencyMath.Normalize(rate * 100m).ToString(CultureInfo.InvariantCulture) + "%";
}
