using System.Text.Json.Serialization;

namespace RulesBilling.Engine.Payments;

internal sealed record RazorpayCustomer(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string? Name);

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
    [property: JsonPropertyName("receipt")] string? Receipt,
    [property: JsonPropertyName("customer_id")] string? CustomerId,
    [property: JsonPropertyName("line_items")] IReadOnlyList<RazorpayLineItem>? LineItems,
    [property: JsonPropertyName("notes")] IReadOnlyDictionary<string, string>? Notes);

internal sealed record RazorpayCollection<T>(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("items")] IReadOnlyList<T> Items);
