using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Payments;

/// <summary>One line as sent to a provider: our line id, a description, and the amount in provider minor units.</summary>
internal sealed record PaymentLine(string Id, string Description, long Amount);

internal static class PaymentLines
{
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
