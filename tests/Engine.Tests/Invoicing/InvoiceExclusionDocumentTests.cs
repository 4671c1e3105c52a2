using System.Text.Json;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Storage.Postgres;
using static RulesBilling.Engine.Tests.Storage.StoreSamples;

namespace RulesBilling.Engine.Tests.Invoicing;

/// <summary>
/// Issue 13: invoice-level exclusions appear in the invoice JSON and in both stores' documents only when there are
/// any, so every invoice without them keeps its bytes (and documents stored before them read back with none).
/// </summary>
public sealed class InvoiceExclusionDocumentTests
{
    private static readonly InvoiceExclusion Unlined = new("escalation", "s/e1", "no-matching-charge", null);

    /// <summary>The store sample without its deliberately unformattable lines, as invoice JSON writes only rounded money.</summary>
    private static Invoice Formattable(Invoice invoice) => invoice with { Lines = [], Subtotal = 0m, CreditsApplied = 0m, Total = 0m, Credits = [] };

    [Fact]
    public void Without_exclusions_no_form_has_the_field()
    {
        var invoice = Invoice("inv-1");
        Assert.DoesNotContain("\n  \"excluded\"", InvoiceJson.Serialize(Formattable(invoice)), StringComparison.Ordinal);
        Assert.False(BsonDocuments.Invoice(invoice).ContainsKey("excluded"));
        using var document = JsonDocument.Parse(InvoiceDocument.Write(invoice));
        Assert.False(document.RootElement.TryGetProperty("excluded", out _));
    }

    [Fact]
    public void With_exclusions_every_form_has_them_and_reads_them_back()
    {
        var invoice = Invoice("inv-1") with { Excluded = [Unlined] };
        Assert.Contains("\n  \"excluded\": [\n    {\n      \"outcome\": \"escalation\",\n      \"id\": \"s/e1\",\n      \"reason\": \"no-matching-charge\",\n      \"detail\": null\n    }\n  ]",
            InvoiceJson.Serialize(Formattable(invoice)), StringComparison.Ordinal);
        Assert.Equal([Unlined], BsonDocuments.Invoice(BsonDocuments.Invoice(invoice)).Excluded);
        Assert.Equal([Unlined], InvoiceDocument.Read(InvoiceDocument.Write(invoice)).Excluded);
        Assert.Empty(InvoiceDocument.Read(InvoiceDocument.Write(Invoice("inv-2"))).Excluded);
    }
}
