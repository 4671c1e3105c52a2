using System.Text.Json.Serialization;

namespace RulesBilling.Engine.Payments;

// Only the fields the sync reads; System.Text.Json skips the rest of each Razorpay answer.
internal sealed record RazorpayCustomer([property: JsonPropertyName("id")] string Id);

/// <summary>The create-customer body; email and contact are left out when we have none.</summary>
internal sealed record RazorpayCustomerRequest(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("email"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email,
    [property: JsonPropertyName("contact"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Contact,
    [property: JsonPropertyName("fail_existing")] string FailExisting,
    [property: JsonPropertyName("notes")] IReadOnlyDictionary<string, string> Notes);

internal sealed record RazorpayLineItem(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("quantity")] int Quantity);

internal sealed record RazorpayInvoice(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("receipt")] string? Receipt)
{
    /// <summary>The payment that paid it (paid or partially paid invoices); what a credit note refunds.</summary>
    [JsonPropertyName("payment_id")]
    public string? PaymentId { get; init; }
}

internal sealed record RazorpayRefund(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("notes")] System.Text.Json.JsonElement Notes)
{
    /// <summary>Razorpay answers empty notes as <c>[]</c> and others as an object.</summary>
    public string? Note(string key) =>
        Notes.ValueKind == System.Text.Json.JsonValueKind.Object && Notes.TryGetProperty(key, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
            ? value.GetString()
            : null;
}

internal sealed record RazorpayCollection<T>([property: JsonPropertyName("items")] IReadOnlyList<T> Items);
