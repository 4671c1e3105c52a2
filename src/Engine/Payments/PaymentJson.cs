using System.Text.Json;
using System.Text.Json.Serialization;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// The one serialization of stored payment records, shared by the LiteDB and PostgreSQL stores and the import that
/// copies between them: the import compares records by their stored JSON, so the backends must not drift apart.
/// </summary>
internal static class PaymentJson
{
    public static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter() } };
}
