using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Web;

namespace RulesBilling.Engine.Tests.Payments.Fakes;

/// <summary>
/// A stateful Stripe API v1 fake: form-encoded requests (<c>metadata[k]=v</c>), Bearer auth, Stripe-shaped objects
/// and errors, and the idempotency layer (first result stored per key, 500s included, and replayed with
/// <c>Idempotent-Replayed: true</c>; a reused key with other parameters gets <c>idempotency_error</c>; 429/409 and
/// validation errors are not stored). Customers, invoices (create, search, get, lines, finalize, send, void, delete)
/// and invoice items.
/// </summary>
public sealed partial class FakeStripe(string apiKey) : FakeServer
{
    private readonly Dictionary<string, JsonObject> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeStripeInvoice> _invoices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Fingerprint, FakeResponse Response)> _idempotency = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>Invoices not deleted, by id.</summary>
    public IReadOnlyList<FakeStripeInvoice> Invoices => Locked(() => _invoices.Values.Where(i => !i.Deleted).Select(i => i.Copy()).ToList());

    public int CustomerCount => Locked(() => _customers.Count);

    /// <summary>Changes an invoice behind our back (for mismatch and drift tests).</summary>
    public void Tamper(string invoiceId, Action<FakeStripeInvoice> change) => Locked(() =>
    {
        change(_invoices[invoiceId]);
        return 0;
    });

    protected override FakeResponse Handle(FakeRequest request, bool failAfterCommit)
    {
        if (request.Header("authorization") != "Bearer " + apiKey) return Error(401, "api_key_invalid", "Invalid API Key provided", "invalid_request_error");
        var form = ParseForm(request.Body);
        var key = request.Method == "POST" ? request.Header("idempotency-key") : null;
        var fingerprint = request.Method + " " + request.Path + " " + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(form))));
        if (key is not null && _idempotency.TryGetValue(key, out var stored))
        {
            if (stored.Fingerprint != fingerprint)
            {
                return Error(400, "idempotency_error",
                    "Keys for idempotent requests can only be used with the same parameters they were first used with.", "idempotency_error");
            }
            return stored.Response with { Headers = new Dictionary<string, string> { ["Idempotent-Replayed"] = "true" } };
        }

        var response = Route(request, form);
        if (failAfterCommit && response.Status < 400) response = Error(500, "api_error", "An unknown error occurred", "api_error");
        if (key is not null && response.Status != 400) _idempotency[key] = (fingerprint, response);
        return response;
    }

    protected override FakeResponse Error(int status, string code, string message) =>
        Error(status, code, message, status == 429 ? "invalid_request_error" : status >= 500 ? "api_error" : "invalid_request_error");

    private static FakeResponse Error(int status, string code, string message, string type) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message } }.ToJsonString());

    private FakeResponse Route(FakeRequest request, List<KeyValuePair<string, string>> form)
    {
        var parts = request.Path.Trim('/').Split('/');
        return (request.Method, parts) switch
        {
            ("POST", ["v1", "customers"]) => CreateCustomer(form),
            ("GET", ["v1", "customers", "search"]) => Search(_customers.Values, request.QueryValue("query") ?? ""),
            ("POST", ["v1", "invoices"]) => CreateInvoice(form),
            ("GET", ["v1", "invoices", "search"]) => Search(_invoices.Values.Where(i => !i.Deleted).Select(i => i.ToJson()), request.QueryValue("query") ?? ""),
            ("GET", ["v1", "invoices", var id]) => WithInvoice(id, i => Ok(i.ToJson())),
            ("GET", ["v1", "invoices", var id, "lines"]) => WithInvoice(id, i => Ok(i.LinesJson())),
            ("DELETE", ["v1", "invoices", var id]) => WithInvoice(id, i => Delete(i)),
            ("POST", ["v1", "invoices", var id, "finalize"]) => WithInvoice(id, Finalize),
            ("POST", ["v1", "invoices", var id, "send"]) => WithInvoice(id, Send),
            ("POST", ["v1", "invoices", var id, "void"]) => WithInvoice(id, Void),
            ("POST", ["v1", "invoiceitems"]) => CreateItem(form),
            _ => Error(404, "resource_missing", $"Unrecognized request URL ({request.Method}: {request.Path})", "invalid_request_error"),
        };
    }

    private FakeResponse CreateCustomer(List<KeyValuePair<string, string>> form)
    {
        var customer = new JsonObject
        {
            ["id"] = "cus_" + Next(), ["object"] = "customer", ["name"] = Value(form, "name"), ["metadata"] = Metadata(form),
        };
        _customers[customer["id"]!.GetValue<string>()] = customer;
        return Ok(customer);
    }

    private FakeResponse CreateInvoice(List<KeyValuePair<string, string>> form)
    {
        var customer = Value(form, "customer");
        if (customer is null || !_customers.ContainsKey(customer)) return Error(400, "resource_missing", "No such customer", "invalid_request_error");
        if (Value(form, "currency") is not { } currency) return Error(400, "parameter_missing", "Missing required param: currency.", "invalid_request_error");
        var invoice = new FakeStripeInvoice("in_" + Next(), customer, currency, Metadata(form).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()))
        {
            AutoAdvance = Value(form, "auto_advance") == "true",
        };
        _invoices[invoice.Id] = invoice;
        return Ok(invoice.ToJson());
    }

    private FakeResponse CreateItem(List<KeyValuePair<string, string>> form)
    {
        if (Value(form, "invoice") is not { } id || !_invoices.TryGetValue(id, out var invoice) || invoice.Deleted)
        {
            return Error(400, "resource_missing", "No such invoice", "invalid_request_error");
        }
        if (invoice.Status != "draft") return Error(400, "invoice_not_editable", $"Invoice {id} is {invoice.Status}; only drafts take items", "invalid_request_error");
        if (!long.TryParse(Value(form, "amount"), out var amount)) return Error(400, "parameter_invalid_integer", "Invalid integer: amount", "invalid_request_error");
        if (Value(form, "currency") != invoice.Currency) return Error(400, "currency_mismatch", "Item currency differs from the invoice's", "invalid_request_error");
        var line = new FakeStripeLine("il_" + Next(), "ii_" + Next(), amount, Value(form, "description") ?? "",
            Metadata(form).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()));
        invoice.Lines.Add(line);
        return Ok(new JsonObject
        {
            ["id"] = line.ItemId, ["object"] = "invoiceitem", ["amount"] = amount, ["currency"] = invoice.Currency, ["invoice"] = invoice.Id,
            ["description"] = line.Description, ["metadata"] = FakeStripeInvoice.Json(line.Metadata),
        });
    }

    private FakeResponse Finalize(FakeStripeInvoice invoice)
    {
        if (invoice.Status != "draft") return Error(400, "invoice_unexpected_state", "This invoice is already finalized", "invalid_request_error");
        invoice.Status = invoice.Total == 0 ? "paid" : "open";
        invoice.Number = "FAKE-" + Next();
        return Ok(invoice.ToJson());
    }

    private FakeResponse Send(FakeStripeInvoice invoice)
    {
        if (invoice.Status != "open") return Error(400, "invoice_unexpected_state", $"Invoice is {invoice.Status}; only open invoices can be sent", "invalid_request_error");
        invoice.SendCount++;
        return Ok(invoice.ToJson());
    }

    private FakeResponse Void(FakeStripeInvoice invoice)
    {
        if (invoice.Status is not ("open" or "uncollectible")) return Error(400, "invoice_unexpected_state", $"Invoice is {invoice.Status}; it cannot be voided", "invalid_request_error");
        invoice.Status = "void";
        return Ok(invoice.ToJson());
    }

    private FakeResponse Delete(FakeStripeInvoice invoice)
    {
        if (invoice.Status != "draft") return Error(400, "invoice_unexpected_state", "Only draft invoices can be deleted", "invalid_request_error");
        invoice.Deleted = true;
        return Ok(new JsonObject { ["id"] = invoice.Id, ["object"] = "invoice", ["deleted"] = true });
    }

    private FakeResponse WithInvoice(string id, Func<FakeStripeInvoice, FakeResponse> action) =>
        _invoices.TryGetValue(id, out var invoice) && !invoice.Deleted
            ? action(invoice)
            : Error(404, "resource_missing", $"No such invoice: '{id}'", "invalid_request_error");

    /// <summary>Stripe search syntax subset: <c>metadata['k']:'v'</c> clauses joined by AND.</summary>
    private static FakeResponse Search(IEnumerable<JsonObject> objects, string query)
    {
        var clauses = SearchClause().Matches(query).Select(m => (Key: m.Groups[1].Value, Value: Regex.Unescape(m.Groups[2].Value))).ToList();
        var data = new JsonArray();
        foreach (var o in objects.Where(o => clauses.All(c => o["metadata"]?[c.Key]?.GetValue<string>() == c.Value)))
        {
            data.Add(o.DeepClone());
        }
        return Ok(new JsonObject { ["object"] = "search_result", ["data"] = data, ["has_more"] = false, ["url"] = "/v1/search" });
    }

    [GeneratedRegex(@"metadata\['([^']+)'\]:'((?:[^'\\]|\\.)*)'")]
    private static partial Regex SearchClause();

    private static FakeResponse Ok(JsonObject body) => new(200, body.ToJsonString());

    private string Next() => (++_next).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private static List<KeyValuePair<string, string>> ParseForm(string body)
    {
        var parsed = HttpUtility.ParseQueryString(body);
        return parsed.AllKeys.Where(k => k is not null).Select(k => new KeyValuePair<string, string>(k!, parsed[k]!)).ToList();
    }

    private static string Canonical(List<KeyValuePair<string, string>> form) =>
        string.Join("&", form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));

    private static string? Value(List<KeyValuePair<string, string>> form, string key) => form.FirstOrDefault(p => p.Key == key).Value;

    private static JsonObject Metadata(List<KeyValuePair<string, string>> form)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in form.Where(p => p.Key.StartsWith("metadata[", StringComparison.Ordinal)))
        {
            metadata[key["metadata[".Length..^1]] = value;
        }
        return metadata;
    }
}

public sealed record FakeStripeLine(string Id, string ItemId, long Amount, string Description, Dictionary<string, string> Metadata);

public sealed class FakeStripeInvoice(string id, string customer, string currency, Dictionary<string, string> metadata)
{
    public string Id { get; } = id;
    public string Customer { get; } = customer;
    public string Currency { get; } = currency;
    public Dictionary<string, string> Metadata { get; } = metadata;
    public List<FakeStripeLine> Lines { get; private init; } = [];
    public string Status { get; set; } = "draft";
    public string? Number { get; set; }
    public bool AutoAdvance { get; set; }
    public bool Deleted { get; set; }
    public int SendCount { get; set; }
    public long Total => Lines.Sum(l => l.Amount);

    public FakeStripeInvoice Copy() => new(Id, Customer, Currency, new(Metadata))
    {
        Lines = [.. Lines], Status = Status, Number = Number, AutoAdvance = AutoAdvance, Deleted = Deleted, SendCount = SendCount,
    };

    public JsonObject ToJson() => new()
    {
        ["id"] = Id, ["object"] = "invoice", ["customer"] = Customer, ["currency"] = Currency, ["status"] = Status,
        ["number"] = Number, ["auto_advance"] = AutoAdvance, ["collection_method"] = "send_invoice",
        ["subtotal"] = Total, ["total"] = Total, ["amount_due"] = Status == "paid" ? 0 : Total, ["metadata"] = Json(Metadata),
        ["lines"] = LinesJson(),
    };

    public JsonObject LinesJson()
    {
        var data = new JsonArray();
        foreach (var line in Lines)
        {
            data.Add(new JsonObject
            {
                ["id"] = line.Id, ["object"] = "line_item", ["amount"] = line.Amount, ["currency"] = Currency, ["description"] = line.Description,
                ["invoice"] = Id, ["metadata"] = Json(line.Metadata),
            });
        }
        return new JsonObject { ["object"] = "list", ["data"] = data, ["has_more"] = false, ["url"] = $"/v1/invoices/{Id}/lines" };
    }

    public static JsonObject Json(Dictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal)) o[k] = v;
        return o;
    }
}
