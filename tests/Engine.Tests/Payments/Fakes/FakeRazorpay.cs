using System.Text;
using System.Text.Json.Nodes;

namespace RulesBilling.Engine.Tests.Payments.Fakes;

/// <summary>
/// A stateful Razorpay fake: Basic auth (key_id:key_secret), JSON bodies, Razorpay-shaped errors
/// (<c>{"error":{"code":"BAD_REQUEST_ERROR",...}}</c>), customers with <c>fail_existing</c>, invoices with unique
/// receipts, <c>GET ?receipt=</c>, issue, cancel and delete; a line item with a negative amount is refused. No
/// idempotency layer, like the real API.
/// Customers: the name must be 3–50 letters, digits, spaces and <c>. ' / @ ( )</c>; <c>fail_existing</c> "0"
/// returns an existing customer only when the email and contact are exactly the same (a customer without either
/// is matched by nothing, so a second create makes a second customer). Payments (<see cref="Pay"/>) and refunds
/// (<c>POST /v1/payments/{id}/refund</c>, <c>GET /v1/payments/{id}/refunds</c>).
/// </summary>
public sealed class FakeRazorpay(string keyId, string keySecret) : FakeServer
{
    private readonly Dictionary<string, JsonObject> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _invoices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Amount, string Currency, List<JsonObject> Refunds)> _payments = new(StringComparer.Ordinal);
    private int _next;

    public IReadOnlyList<JsonObject> Refunds => Locked(() => _payments.Values.SelectMany(p => p.Refunds).Select(r => (JsonObject)r.DeepClone()).ToList());

    public IReadOnlyList<JsonObject> Customers => Locked(() => _customers.Values.Select(c => (JsonObject)c.DeepClone()).ToList());

    /// <summary>The customer pays the invoice in full (what the hosted page would do): paid, with a payment id.</summary>
    public string Pay(string invoiceId) => Locked(() =>
    {
        var invoice = _invoices[invoiceId];
        var payment = "pay_" + Next();
        _payments[payment] = (invoice["amount"]!.GetValue<long>(), invoice["currency"]!.GetValue<string>(), []);
        invoice["status"] = "paid";
        invoice["payment_id"] = payment;
        invoice["amount_paid"] = invoice["amount"]!.GetValue<long>();
        return payment;
    });

    /// <summary>Invoices not deleted.</summary>
    public IReadOnlyList<JsonObject> Invoices => Locked(() => _invoices.Values.Select(i => (JsonObject)i.DeepClone()).ToList());

    public int CustomerCount => Locked(() => _customers.Count);

    public void Tamper(string invoiceId, Action<JsonObject> change) => Locked(() =>
    {
        change(_invoices[invoiceId]);
        return 0;
    });

    protected override FakeResponse Handle(FakeRequest request, bool failAfterCommit)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{keyId}:{keySecret}"));
        if (request.Header("authorization") != expected) return Error(401, "BAD_REQUEST_ERROR", "The api key provided is invalid");
        JsonObject body;
        try
        {
            body = request.Body.Length == 0 ? [] : JsonNode.Parse(request.Body)!.AsObject();
        }
        catch (System.Text.Json.JsonException)
        {
            return Error(400, "BAD_REQUEST_ERROR", "The request body is not valid JSON");
        }
        var response = Route(request, body);
        return failAfterCommit && response.Status < 400 ? Error(500, "SERVER_ERROR", "We are facing some trouble completing your request") : response;
    }

    protected override FakeResponse Error(int status, string code, string message) =>
        new(status, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = status >= 500 ? "SERVER_ERROR" : code.Contains("ERROR", StringComparison.Ordinal) ? code : "BAD_REQUEST_ERROR",
                ["description"] = message, ["source"] = "NA", ["step"] = "NA", ["reason"] = "NA", ["metadata"] = new JsonObject(),
            },
        }.ToJsonString());

    private FakeResponse Route(FakeRequest request, JsonObject body)
    {
        var parts = request.Path.Trim('/').Split('/');
        return (request.Method, parts) switch
        {
            ("POST", ["v1", "customers"]) => CreateCustomer(body),
            ("POST", ["v1", "invoices"]) => CreateInvoice(body),
            ("GET", ["v1", "invoices"]) => List(request.QueryValue("receipt")),
            ("GET", ["v1", "invoices", var id]) => WithInvoice(id, Ok),
            ("DELETE", ["v1", "invoices", var id]) => WithInvoice(id, Delete),
            ("POST", ["v1", "invoices", var id, "issue"]) => WithInvoice(id, i => Transition(i, "draft", "issued")),
            ("POST", ["v1", "invoices", var id, "cancel"]) => WithInvoice(id, i => Transition(i, "issued", "cancelled")),
            ("POST", ["v1", "payments", var id, "refund"]) => Refund(id, body),
            ("GET", ["v1", "payments", var id, "refunds"]) => _payments.TryGetValue(id, out var p)
                ? Ok(new JsonObject { ["entity"] = "collection", ["count"] = p.Refunds.Count, ["items"] = new JsonArray([.. p.Refunds.Select(r => r.DeepClone())]) })
                : Error(400, "BAD_REQUEST_ERROR", "The id provided does not exist"),
            _ => Error(400, "BAD_REQUEST_ERROR", "The requested URL was not found on the server."),
        };
    }

    private FakeResponse CreateCustomer(JsonObject body)
    {
        var name = body["name"]?.GetValue<string>();
        if (name is null || name.Length is < 3 or > 50) return Error(400, "BAD_REQUEST_ERROR", "The name must be between 3 and 50 characters.");
        if (!name.All(c => char.IsLetterOrDigit(c) || c is ' ' or '.' or '\'' or '’' or '/' or '@' or '(' or ')'))
        {
            return Error(400, "BAD_REQUEST_ERROR", "The name format is invalid.");
        }
        var email = body["email"]?.GetValue<string>();
        var contact = body["contact"]?.GetValue<string>();
        var existing = email is null && contact is null ? null : _customers.Values.FirstOrDefault(c =>
            c["email"]?.GetValue<string>() == email && c["contact"]?.GetValue<string>() == contact);
        if (existing is not null)
        {
            return body["fail_existing"]?.GetValue<string>() == "0"
                ? Ok(existing)
                : Error(400, "BAD_REQUEST_ERROR", "Customer already exists for the merchant");
        }
        var customer = new JsonObject
        {
            ["id"] = "cust_" + Next(), ["entity"] = "customer", ["name"] = name, ["email"] = email, ["contact"] = contact, ["notes"] = body["notes"]?.DeepClone(),
        };
        _customers[customer["id"]!.GetValue<string>()] = customer;
        return Ok(customer);
    }

    private FakeResponse CreateInvoice(JsonObject body)
    {
        var receipt = body["receipt"]?.GetValue<string>();
        if (receipt is { Length: > 40 }) return Error(400, "BAD_REQUEST_ERROR", "The receipt may not be greater than 40 characters.");
        if (receipt is not null && _invoices.Values.Any(i => i["receipt"]?.GetValue<string>() == receipt))
        {
            return Error(400, "BAD_REQUEST_ERROR", "Invoice receipt should be unique.");
        }
        var customer = body["customer_id"]?.GetValue<string>();
        if (customer is null || !_customers.ContainsKey(customer)) return Error(400, "BAD_REQUEST_ERROR", "The id provided does not exist");
        var currency = body["currency"]?.GetValue<string>() ?? "INR";
        var lines = new JsonArray();
        long amount = 0;
        foreach (var line in body["line_items"]?.AsArray() ?? [])
        {
            var lineAmount = line!["amount"]!.GetValue<long>();
            // A line item is a priced item: the fake refuses a negative price, as RulesBilling assumes the real API does
            // (its docs give no negative amount and no discount field).
            if (lineAmount < 0) return Error(400, "BAD_REQUEST_ERROR", "The amount must be greater than or equal to 0.");
            var quantity = line["quantity"]?.GetValue<int>() ?? 1;
            amount += lineAmount * quantity;
            lines.Add(new JsonObject
            {
                ["id"] = "li_" + Next(), ["name"] = line["name"]?.GetValue<string>(), ["description"] = line["description"]?.GetValue<string>(),
                ["amount"] = lineAmount, ["currency"] = currency, ["quantity"] = quantity,
            });
        }
        var invoice = new JsonObject
        {
            ["id"] = "inv_" + Next(), ["entity"] = "invoice", ["type"] = "invoice", ["receipt"] = receipt, ["customer_id"] = customer,
            ["status"] = body["draft"]?.GetValue<string>() == "1" ? "draft" : "issued", ["amount"] = amount, ["currency"] = currency,
            ["line_items"] = lines, ["notes"] = body["notes"]?.DeepClone() ?? new JsonObject(), ["idempotency_key"] = null,
        };
        _invoices[invoice["id"]!.GetValue<string>()] = invoice;
        return Ok(invoice);
    }

    private FakeResponse List(string? receipt)
    {
        var items = new JsonArray();
        foreach (var invoice in _invoices.Values.Where(i => receipt is null || i["receipt"]?.GetValue<string>() == receipt)) items.Add(invoice.DeepClone());
        return Ok(new JsonObject { ["entity"] = "collection", ["count"] = items.Count, ["items"] = items });
    }

    private FakeResponse Refund(string paymentId, JsonObject body)
    {
        if (!_payments.TryGetValue(paymentId, out var payment)) return Error(400, "BAD_REQUEST_ERROR", "The id provided does not exist");
        var refunded = payment.Refunds.Sum(r => r["amount"]!.GetValue<long>());
        var amount = body["amount"]?.GetValue<long>() ?? payment.Amount - refunded;
        if (amount <= 0 || refunded + amount > payment.Amount)
        {
            return Error(400, "BAD_REQUEST_ERROR", "The refund amount provided is greater than amount captured");
        }
        var refund = new JsonObject
        {
            ["id"] = "rfnd_" + Next(), ["entity"] = "refund", ["amount"] = amount, ["currency"] = payment.Currency, ["payment_id"] = paymentId,
            ["receipt"] = body["receipt"]?.GetValue<string>(), ["notes"] = body["notes"]?.DeepClone() ?? new JsonObject(), ["status"] = "processed",
        };
        payment.Refunds.Add(refund);
        return Ok(refund);
    }

    private FakeResponse Transition(JsonObject invoice, string from, string to)
    {
        var status = invoice["status"]!.GetValue<string>();
        if (status != from) return Error(400, "BAD_REQUEST_ERROR", $"Operation not allowed for invoice in {status} status");
        invoice["status"] = to;
        return Ok(invoice);
    }

    private FakeResponse Delete(JsonObject invoice)
    {
        if (invoice["status"]!.GetValue<string>() != "draft") return Error(400, "BAD_REQUEST_ERROR", "Only draft invoices can be deleted");
        _invoices.Remove(invoice["id"]!.GetValue<string>());
        return new FakeResponse(200, "[]");
    }

    private FakeResponse WithInvoice(string id, Func<JsonObject, FakeResponse> action) =>
        _invoices.TryGetValue(id, out var invoice) ? action(invoice) : Error(400, "BAD_REQUEST_ERROR", "The id provided does not exist");

    private static FakeResponse Ok(JsonObject body) => new(200, body.ToJsonString());

    private string Next() => (++_next).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}
