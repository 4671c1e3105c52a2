using System.Text.Json.Serialization;

namespace RulesBilling.Engine.Payments;

// Only the fields the sync reads; System.Text.Json skips the rest of each Razorpay answer.
internal sealed record RazorpayCustomer([property: JsonPropertyName("id")] string Id);

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
    [property: JsonPropertyName("receipt")] string? Receipt);

internal sealed record RazorpayCollection<T>([property: JsonPropertyName("items")] IReadOnlyList<T> Items);
