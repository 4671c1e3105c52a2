using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Payments;

/// <summary>One line as sent to a provider: our line id, a description, and the amount in provider minor units.</summary>
internal sealed record PaymentLine(string Id, string Description, long Amount);

internal static class PaymentLines
{
    /// <summary>Stripe takes at most 250 invoice items per invoice (a 251st is refused).</summary>
    public const int StripeMaxItems = 250;

    /// <summary>
    /// <see cref="Of"/> for Stripe: an invoice with more than 250 lines keeps its first 249 as items and groups the
    /// rest into the 250th (<c>rest:{invoice}:250</c>, "N more lines ..."), so one engine invoice stays one Stripe
    /// invoice with our exact total. Decided before the first call, from the invoice alone, so a resumed push makes
    /// the same items and a draft is never left half-filled by the limit. Our own invoice keeps every line itemised.
    /// </summary>
    public static IReadOnlyList<PaymentLine> ForStripe(Invoice invoice)
    {
        var lines = Of(invoice, PaymentProvider.Stripe);
        if (lines.Count <= StripeMaxItems) return lines;
        var kept = lines.Take(StripeMaxItems - 1).ToList();
        var rest = lines.Skip(StripeMaxItems - 1).ToList();
        kept.Add(new PaymentLine($"rest:{invoice.Id}:{StripeMaxItems}",
            $"{rest.Count} more lines ({StripeMaxItems}–{lines.Count} of {lines.Count}), itemised on invoice {invoice.Number ?? invoice.Id}",
            rest.Sum(l => l.Amount)));
        return kept;
    }

    /// <summary>
    /// <see cref="Of"/> for Razorpay, whose invoice line items are priced items (<c>amount</c>: "the price of the
    /// item", in subunits) with no discount field and no documented negative amount: coupon, threshold-credit and
    /// prepaid-credit lines are folded into the positive lines, the largest first (tax lines last, so the tax stays
    /// an item of its own), each folded line saying what it is net of; zero lines are then left out. An invoice
    /// without negative lines is sent as it is. Σ items stays our total.
    /// </summary>
    public static IReadOnlyList<PaymentLine> ForRazorpay(Invoice invoice)
    {
        var lines = Of(invoice, PaymentProvider.Razorpay);
        var negative = lines.Where(l => l.Amount < 0).ToList();
        if (negative.Count == 0) return lines;
        var taxes = invoice.Lines.Where(l => l.Kind == LineKind.Tax).Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var folded = lines.Where(l => l.Amount > 0).ToList();
        var order = folded.Select((line, index) => (line, index))
            .OrderBy(x => taxes.Contains(x.line.Id)).ThenByDescending(x => x.line.Amount).ThenBy(x => x.index)
            .Select(x => x.index).ToList();
        var toFold = -negative.Sum(l => l.Amount);
        var what = string.Join(", ", negative.Select(l => l.Description));
        foreach (var i in order)
        {
            if (toFold == 0) break;
            var take = Math.Min(folded[i].Amount, toFold);
            toFold -= take;
            folded[i] = folded[i] with
            {
                Amount = folded[i].Amount - take,
                Description = $"{folded[i].Description} (net of {LineBreakdown.P(ProviderMoney.FromMinorUnits(take, invoice.Currency, PaymentProvider.Razorpay), invoice.Currency)}: {what})",
            };
        }
        if (toFold > 0) throw new PaymentException($"invoice {invoice.Number ?? invoice.Id}: its total is below zero; a Razorpay invoice cannot be", FailureKind.Permanent);
        return folded.Where(l => l.Amount > 0).ToList();
    }

    /// <summary>
    /// Our invoice's lines in provider minor units, plus one negative line for applied credits, so the provider's
    /// total is Σ lines = our total. Every amount is converted before the first call, so a lossy amount stops the
    /// push before anything reaches the provider.
    /// </summary>
    public static IReadOnlyList<PaymentLine> Of(Invoice invoice, PaymentProvider provider)
    {
        var lines = invoice.Lines
            .Select(l => new PaymentLine(l.Id, l.Description, ProviderMoney.ToMinorUnits(l.Amount, invoice.Currency, provider)))
            .ToList();
        if (invoice.CreditsApplied != 0m)
        {
            lines.Add(new PaymentLine("credits:" + invoice.Id, "Prepaid credits applied",
                ProviderMoney.ToMinorUnits(-invoice.CreditsApplied, invoice.Currency, provider)));
        }
        var total = ProviderMoney.ToMinorUnits(invoice.Total, invoice.Currency, provider);
        if (lines.Sum(l => l.Amount) != total)
        {
            throw new PaymentException($"invoice {invoice.Number ?? invoice.Id}: its lines do not add up to its total", FailureKind.Permanent);
        }
        return lines;
    }
}
