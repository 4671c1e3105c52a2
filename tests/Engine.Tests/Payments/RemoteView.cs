using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Tests.Payments;

/// <summary>What a fake provider holds for one of our invoices, provider-independently.</summary>
internal sealed record RemoteView(string Id, string Status, long Total, string Currency, IReadOnlyList<(string LineId, long Amount)> Lines)
{
    public static IReadOnlyList<RemoteView> Of(PaymentHarness harness, PaymentProvider provider, Invoice invoice) => provider switch
    {
        PaymentProvider.Stripe => harness.Stripe.Invoices
            .Where(i => i.Metadata.GetValueOrDefault("engine_invoice_id") == invoice.Id)
            .Select(i => new RemoteView(i.Id, i.Status, i.Total, i.Currency.ToUpperInvariant(),
                i.Lines.Select(l => (l.Metadata.GetValueOrDefault("engine_line_id", ""), l.Amount)).ToList()))
            .ToList(),
        _ => harness.Razorpay.Invoices
            .Where(i => i["receipt"]?.GetValue<string>() == invoice.Number)
            .Select(i => new RemoteView(i["id"]!.GetValue<string>(), i["status"]!.GetValue<string>(), i["amount"]!.GetValue<long>(),
                i["currency"]!.GetValue<string>(),
                i["line_items"]!.AsArray().Select(l => (l!["description"]!.GetValue<string>(), l["amount"]!.GetValue<long>())).ToList()))
            .ToList(),
    };

    /// <summary>The status a pushed invoice ends in: Stripe open (sent), Razorpay issued.</summary>
    public static string Delivered(PaymentProvider provider) => provider == PaymentProvider.Stripe ? "open" : "issued";
}
