using System.Text.Json;
using System.Text.Json.Serialization;

namespace RulesBilling.Client;

// The API's models, named as in its OpenAPI document (components/schemas; checked by DotnetSdkTests). Money and
// quantities are decimal, read from and written as decimal strings.

/// <summary>An event to send. <see cref="Id"/> defaults to a new GUID, fixed before the first attempt, so a retry is a duplicate, never a second charge.</summary>
public sealed record EventInput(string Source, string Type, string Subject, object? Data)
{
    public string? Id { get; init; }
    public DateTimeOffset? Time { get; init; }

    /// <summary>CloudEvents extension attributes, e.g. traceparent.</summary>
    public IReadOnlyDictionary<string, string>? Extensions { get; init; }
}

/// <summary>Schema CloudEvent: one event in the CloudEvents JSON format, as sent.</summary>
[ApiSchema("CloudEvent")]
public sealed record CloudEvent(
    [property: JsonPropertyName("specversion")] string SpecVersion,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("datacontenttype")] string? DataContentType,
    [property: JsonPropertyName("data")] JsonElement? Data)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; init; }
}

[ApiSchema("IngestionView")]
public sealed record IngestionResult(int Accepted, int Duplicates, int Rejected, IReadOnlyList<EventResult> Events);

[ApiSchema("EventResultView")]
public sealed record EventResult(int Index, string? Source, string? Id, string Status, string? Reason);

[ApiSchema("CustomerView")]
public sealed record Customer(string Id, string? Name);

[ApiSchema("Invoice")]
public sealed record Invoice(
    string Id,
    string? Number,
    string Kind,
    string Status,
    string Customer,
    string Contract,
    string Currency,
    Period Period,
    IReadOnlyList<InvoiceLine> Lines,
    decimal Subtotal,
    decimal Credits,
    decimal Total,
    string? Corrects,
    string? VoidReason);

[ApiSchema("Period")]
public sealed record Period(DateTimeOffset From, DateTimeOffset To);

[ApiSchema("InvoiceLine")]
public sealed record InvoiceLine(string Id, string Kind, string Description, string Rule, int Version, decimal Quantity, decimal? UnitPrice, decimal Amount, IReadOnlyList<string> Events, string? Note);

[ApiSchema("Preview")]
public sealed record Preview(IReadOnlyList<Invoice> Invoices, IssuedInvoice? Issued);

[ApiSchema("IssuedInvoice")]
public sealed record IssuedInvoice(string Id, string? Number, string Status, decimal Total, bool CorrectionPending, string Message);

[ApiSchema("CustomerBalance")]
public sealed record CustomerBalance(string Customer, DateTimeOffset At, IReadOnlyList<PrepaidBalance> Balances);

[ApiSchema("PrepaidBalance")]
public sealed record PrepaidBalance(string Currency, decimal Granted, decimal Committed, decimal Pending, decimal Available);

[ApiSchema("CreditGrantView")]
public sealed record CreditGrant(string Id, decimal Amount, string Currency);

[ApiSchema("UsageCheck")]
public sealed record UsageCheck(string Feature, bool Allowed);

[ApiSchema("Problem")]
public sealed record Problem(int Status, string Title, string? Detail);

/// <summary>The OpenAPI schema a model stands for (components/schemas/NAME).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ApiSchemaAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
