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
