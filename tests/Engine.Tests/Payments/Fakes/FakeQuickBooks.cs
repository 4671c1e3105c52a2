using System.Globalization;
using System.Text.Json.Nodes;

namespace RulesBilling.Engine.Tests.Payments.Fakes;

/// <summary>
/// A stateful QuickBooks Online fake for journal entries: <c>POST /v3/company/{realmId}/journalentry</c> with an OAuth
/// bearer token, <c>requestid</c> idempotency (a repeated request id is answered with the original response, as Intuit
/// documents), <c>GET /v3/company/{realmId}/journalentry/{id}</c>, and Fault bodies
/// (<c>{"Fault":{"Error":[{"Message","Detail","code","element"}],"type"},"time"}</c>): AuthenticationFault 401 for a wrong
/// token, AuthorizationFault 403 for another company, ValidationFault 400 for an unbalanced entry, a non-positive
/// amount, a receivable line without its customer or a DocNumber over 21 characters; injected faults answer
/// ThrottleExceeded 429 / SystemFault 500 (the fault codes are the fake's own choice where Intuit's are not pinned down).
/// </summary>
public sealed class FakeQuickBooks(string realmId, string accessToken) : FakeServer
{
    private readonly Dictionary<string, JsonObject> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeResponse> _byRequestId = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>The journal entries the company holds.</summary>
    public IReadOnlyList<JsonObject> JournalEntries => Locked(() => _entries.Values.Select(e => (JsonObject)e.DeepClone()).ToList());

    protected override FakeResponse Handle(FakeRequest request, bool failAfterCommit)
    {
        if (request.Header("authorization") != "Bearer " + accessToken)
            return Fault(401, "AuthenticationFault", "3200", "message=AuthenticationFailed; errorCode=003200; statusCode=401", "");
        var parts = request.Path.Trim('/').Split('/');
        if (parts is not ["v3", "company", var realm, "journalentry", ..])
            return Fault(400, "ValidationFault", "4000", "Unsupported operation", request.Path);
        if (realm != realmId) return Fault(403, "AuthorizationFault", "003100", "ApplicationAuthorizationFailed", realm);
        if (request.Method == "GET" && parts.Length == 5)
            return _entries.TryGetValue(parts[4], out var found) ? Ok(found) : Fault(400, "ValidationFault", "610", "Object Not Found", parts[4]);
        if (request.Method != "POST" || parts.Length != 4) return Fault(400, "ValidationFault", "4000", "Unsupported operation", request.Path);

        var requestId = request.QueryValue("requestid");
        if (requestId is not null && _byRequestId.TryGetValue(requestId, out var replay)) return replay;
        var response = Create(request.Body);
        if (requestId is not null && response.Status < 500) _byRequestId[requestId] = response;
        return failAfterCommit && response.Status < 400 ? Fault(500, "SystemFault", "10000", "An application error has occurred while processing your request", "") : response;
    }

    protected override FakeResponse Error(int status, string code, string message) =>
        Fault(status, status == 429 ? "ThrottleExceeded" : status >= 500 ? "SystemFault" : "ValidationFault", status.ToString(CultureInfo.InvariantCulture), message, code);

    private FakeResponse Create(string text)
    {
        JsonObject body;
        try
        {
            body = JsonNode.Parse(text)!.AsObject();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            return Fault(400, "ValidationFault", "2020", "Request has invalid or unsupported property", "body");
        }
        if (body["Line"] is not JsonArray lines || lines.Count == 0) return Fault(400, "ValidationFault", "2020", "Required param missing, need to supply the required value for the API", "Line");
        if (body["DocNumber"]?.GetValue<string>() is { Length: > 21 }) return Fault(400, "ValidationFault", "2050", "String length is either shorter or longer than supported by specification", "DocNumber");
        decimal debits = 0m, credits = 0m;
        foreach (var line in lines)
        {
            var detail = line!["JournalEntryLineDetail"];
            var amount = line["Amount"]?.GetValue<decimal>() ?? 0m;
            if (line["DetailType"]?.GetValue<string>() != "JournalEntryLineDetail" || detail is null || amount <= 0m)
                return Fault(400, "ValidationFault", "6000", "A business validation error has occurred while processing your request", "Business Validation Error: each line needs a JournalEntryLineDetail and a positive Amount");
            if (detail["AccountRef"]?["value"] is null) return Fault(400, "ValidationFault", "2020", "Required param missing, need to supply the required value for the API", "AccountRef");
            // Our receivables account is 1100; QuickBooks requires the customer on accounts receivable lines.
            if (detail["AccountRef"]!["value"]!.GetValue<string>() == "1100" && detail["Entity"]?["EntityRef"]?["value"] is null)
                return Fault(400, "ValidationFault", "6000", "A business validation error has occurred while processing your request", "Business Validation Error: When you use Accounts Receivable, you must choose a customer in the Name field.");
            switch (detail["PostingType"]?.GetValue<string>())
            {
                case "Debit": debits += amount; break;
                case "Credit": credits += amount; break;
                default: return Fault(400, "ValidationFault", "2020", "Required param missing, need to supply the required value for the API", "PostingType");
            }
        }
        if (debits != credits)
            return Fault(400, "ValidationFault", "6000", "A business validation error has occurred while processing your request", "Business Validation Error: Your debits and credits must be equal.");
        var id = (++_next).ToString(CultureInfo.InvariantCulture);
        var entry = (JsonObject)body.DeepClone();
        entry["Id"] = id;
        entry["SyncToken"] = "0";
        entry["domain"] = "QBO";
        _entries[id] = entry;
        return Ok(entry);
    }

    private static FakeResponse Ok(JsonObject entry) =>
        new(200, new JsonObject { ["JournalEntry"] = entry.DeepClone(), ["time"] = "2026-12-04T00:00:00.000-08:00" }.ToJsonString());

    private static FakeResponse Fault(int status, string type, string code, string message, string detail) =>
        new(status, new JsonObject
        {
            ["Fault"] = new JsonObject
            {
                ["Error"] = new JsonArray(new JsonObject { ["Message"] = message, ["Detail"] = detail, ["code"] = code, ["element"] = "" }),
                ["type"] = type,
            },
            ["time"] = "2026-12-04T00:00:00.000-08:00",
        }.ToJsonString());
}
