using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;

namespace RulesBilling.Engine.Tests.Payments.Fakes;

/// <summary>
/// A stateful Stripe API v1 fake that behaves like Stripe where the sync relies on it:
/// <list type="bullet">
/// <item>form-encoded requests (<c>metadata[k]=v</c>, <c>lines[0][k]=v</c>), Bearer auth, Stripe-shaped objects and errors;</item>
/// <item>the idempotency layer: the first result of a request that started executing is stored under its key (500s and
/// business-rule 400s included) and replayed with <c>Idempotent-Replayed: true</c>; a reused key with other
/// parameters gets <c>idempotency_error</c>; parameter validation errors (and 429/409 from <see cref="FakeServer"/>)
/// are not stored; <see cref="ForgetIdempotencyKeys"/> is Stripe pruning keys after 24 h;</item>
/// <item>invoices: <c>collection_method</c> (default <c>charge_automatically</c>, which cannot be sent;
/// <c>send_invoice</c> needs <c>days_until_due</c>), <c>auto_advance</c> (a draft created with <c>true</c> is
/// finalized by "Stripe" before the next request), <c>pending_invoice_items_behavior</c> (<c>include</c> pulls the
/// customer's pending items in), the customer's coupon inherited unless <c>discounts</c> is sent empty, at most 250
/// invoice items;</item>
/// <item>list endpoints (customers by email, invoices by customer, lines, credit notes by invoice) paged newest first
/// with <c>limit</c>, <c>starting_after</c> and <c>has_more</c>; no Search API (as for merchants in India);</item>
/// <item>credit notes on finalized invoices: reduce <c>amount_remaining</c> first, the rest must be refunded, credited or
/// marked out of band.</item>
/// </list>
/// </summary>
public sealed class FakeStripe(string apiKey) : FakeServer
{
    public const int MaxInvoiceItems = 250;

    private readonly Dictionary<string, FakeStripeCustomer> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeStripeInvoice> _invoices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeStripeCreditNote> _creditNotes = new(StringComparer.Ordinal);
    private readonly List<FakeStripeLine> _pendingItems = [];
    private readonly Dictionary<string, (string Fingerprint, FakeResponse Response)> _idempotency = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>Invoices not deleted, by id.</summary>
    public IReadOnlyList<FakeStripeInvoice> Invoices => Locked(() => _invoices.Values.Where(i => !i.Deleted).Select(i => i.Copy()).ToList());

    public IReadOnlyList<FakeStripeCreditNote> CreditNotes => Locked(() => _creditNotes.Values.Select(c => c with { }).ToList());

    public int CustomerCount => Locked(() => _customers.Count);

    /// <summary>Changes an invoice behind our back (for mismatch and drift tests).</summary>
    public void Tamper(string invoiceId, Action<FakeStripeInvoice> change) => Locked(() =>
    {
        change(_invoices[invoiceId]);
        return 0;
    });

    /// <summary>Stripe prunes idempotency keys after 24 h: the same key then creates a new object.</summary>
    public void ForgetIdempotencyKeys() => Locked(() =>
    {
        _idempotency.Clear();
        return 0;
    });

    /// <summary>Someone gives the customer a coupon in the Dashboard; new invoices inherit it unless told not to.</summary>
    public void GiveCoupon(string customerId, int percentOff) => Locked(() => _customers[customerId].PercentOff = percentOff);

    /// <summary>Someone adds a pending invoice item to the customer in the Dashboard.</summary>
    public void AddPendingItem(string customerId, long amount) => Locked(() =>
    {
        _pendingItems.Add(new FakeStripeLine("il_" + Next(), "ii_" + Next(), amount, "dashboard item", []) { Customer = customerId });
        return 0;
    });

    /// <summary>Invoices of the customer that are none of ours (other systems, the Dashboard).</summary>
    public void AddForeignInvoices(string customerId, int count) => Locked(() =>
    {
        for (var i = 0; i < count; i++)
        {
            var invoice = new FakeStripeInvoice("in_" + Next(), customerId, "usd", new(StringComparer.Ordinal) { ["source"] = "dashboard" });
            _invoices[invoice.Id] = invoice;
        }
        return 0;
    });

    /// <summary>The customer pays the invoice (what a card payment or the hosted page would do).</summary>
    public void MarkPaid(string invoiceId) => Locked(() =>
    {
        var invoice = _invoices[invoiceId];
        invoice.AmountPaid += invoice.AmountRemaining;
        invoice.AmountRemaining = 0;
        invoice.Status = "paid";
        return 0;
    });

    public string CustomerId(string engineCustomer) =>
        Locked(() => _customers.Values.Single(c => c.Metadata.GetValueOrDefault("engine_customer_id") == engineCustomer).Id);

    protected override FakeResponse Handle(FakeRequest request, bool failAfterCommit)
    {
        if (request.Header("authorization") != "Bearer " + apiKey) return Error(401, "api_key_invalid", "Invalid API Key provided", "invalid_request_error");
        AutoAdvance();
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
        if (key is not null && !IsValidationError(response)) _idempotency[key] = (fingerprint, response);
        return response;
    }

    /// <summary>Stripe finalizes an auto-advancing draft about an hour after creation; here, before the next request.</summary>
    private void AutoAdvance()
    {
        foreach (var invoice in _invoices.Values.Where(i => i is { AutoAdvance: true, Status: "draft", Deleted: false })) Finalize(invoice);
    }

    private static bool IsValidationError(FakeResponse response) =>
        response.Status == 400 && response.Body.Contains("\"code\":\"parameter_", StringComparison.Ordinal);

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
            ("GET", ["v1", "customers"]) => Page(_customers.Values
                .Where(c => request.QueryValue("email") is not { } email || c.Email == email)
                .Where(c => Created(request) is not { } from || c.Created >= from)
                .Select(c => c.ToJson()), request, "/v1/customers"),
            ("POST", ["v1", "invoices"]) => CreateInvoice(form),
            ("GET", ["v1", "invoices"]) => Page(_invoices.Values.Where(i => !i.Deleted)
                .Where(i => request.QueryValue("customer") is not { } customer || i.Customer == customer)
                .Select(i => i.ToJson()), request, "/v1/invoices"),
            ("GET", ["v1", "invoices", var id]) => WithInvoice(id, i => Ok(i.ToJson())),
            ("GET", ["v1", "invoices", var id, "lines"]) => WithInvoice(id, i => Page(i.LineObjects(), request, $"/v1/invoices/{id}/lines", newestFirst: false)),
            ("DELETE", ["v1", "invoices", var id]) => WithInvoice(id, Delete),
            ("POST", ["v1", "invoices", var id, "finalize"]) => WithInvoice(id, Finalize),
            ("POST", ["v1", "invoices", var id, "send"]) => WithInvoice(id, Send),
            ("POST", ["v1", "invoices", var id, "void"]) => WithInvoice(id, Void),
            ("POST", ["v1", "invoiceitems"]) => CreateItem(form),
            ("POST", ["v1", "credit_notes"]) => CreateCreditNote(form),
            ("GET", ["v1", "credit_notes"]) => Page(_creditNotes.Values
                .Where(c => request.QueryValue("invoice") is not { } invoice || c.Invoice == invoice)
                .Select(c => c.ToJson()), request, "/v1/credit_notes"),
            ("GET", ["v1", "credit_notes", var id]) => _creditNotes.TryGetValue(id, out var note)
                ? Ok(note.ToJson())
                : Error(404, "resource_missing", $"No such credit note: '{id}'", "invalid_request_error"),
            ("POST", ["v1", "credit_notes", var id, "void"]) => VoidCreditNote(id),
            _ => Error(404, "resource_missing", $"Unrecognized request URL ({request.Method}: {request.Path})", "invalid_request_error"),
        };
    }

    private FakeResponse CreateCustomer(List<KeyValuePair<string, string>> form)
    {
        var customer = new FakeStripeCustomer("cus_" + Next(), Value(form, "name"), Value(form, "email"), DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Metadata(form));
        _customers[customer.Id] = customer;
        return Ok(customer.ToJson());
    }

    private FakeResponse CreateInvoice(List<KeyValuePair<string, string>> form)
    {
        var customerId = Value(form, "customer");
        if (customerId is null || !_customers.TryGetValue(customerId, out var customer)) return Error(400, "resource_missing", "No such customer", "invalid_request_error");
        if (Value(form, "currency") is not { } currency) return Error(400, "parameter_missing", "Missing required param: currency.", "invalid_request_error");
        var collection = Value(form, "collection_method") ?? "charge_automatically";
        if (collection is not ("charge_automatically" or "send_invoice")) return Error(400, "parameter_invalid_string", "Invalid collection_method", "invalid_request_error");
        if (collection == "send_invoice" && Value(form, "days_until_due") is null && Value(form, "due_date") is null)
        {
            return Error(400, "parameter_missing", "Missing required param: days_until_due or due_date (collection_method=send_invoice).", "invalid_request_error");
        }
        var behavior = Value(form, "pending_invoice_items_behavior") ?? "exclude";
        if (behavior is not ("exclude" or "include")) return Error(400, "parameter_invalid_string", "Invalid pending_invoice_items_behavior", "invalid_request_error");
        // Stripe.net sends an empty list as "discounts=" (the documented "empty string": inherit nothing).
        var inherits = !form.Any(p => p.Key == "discounts");
        var invoice = new FakeStripeInvoice("in_" + Next(), customerId, currency, Metadata(form))
        {
            AutoAdvance = Value(form, "auto_advance") == "true",
            CollectionMethod = collection,
            PercentOff = inherits ? customer.PercentOff : 0,
        };
        if (behavior == "include")
        {
            invoice.Lines.AddRange(_pendingItems.Where(i => i.Customer == customerId));
            _pendingItems.RemoveAll(i => i.Customer == customerId);
        }
        _invoices[invoice.Id] = invoice;
        return Ok(invoice.ToJson());
    }

    private FakeResponse CreateItem(List<KeyValuePair<string, string>> form)
    {
        if (!long.TryParse(Value(form, "amount"), out var amount)) return Error(400, "parameter_invalid_integer", "Invalid integer: amount", "invalid_request_error");
        var metadata = Metadata(form);
        var discountable = Value(form, "discountable") is { } d ? d == "true" : amount >= 0;
        if (Value(form, "invoice") is not { } id)
        {
            var customer = Value(form, "customer");
            if (customer is null || !_customers.ContainsKey(customer)) return Error(400, "resource_missing", "No such customer", "invalid_request_error");
            var pending = new FakeStripeLine("il_" + Next(), "ii_" + Next(), amount, Value(form, "description") ?? "", metadata) { Customer = customer, Discountable = discountable };
            _pendingItems.Add(pending);
            return Ok(ItemJson(pending, Value(form, "currency") ?? "usd", null));
        }
        if (!_invoices.TryGetValue(id, out var invoice) || invoice.Deleted) return Error(400, "resource_missing", "No such invoice", "invalid_request_error");
        if (invoice.Status != "draft") return Error(400, "invoice_not_editable", $"Invoice {id} is {invoice.Status}; only drafts take items", "invalid_request_error");
        if (Value(form, "currency") != invoice.Currency) return Error(400, "currency_mismatch", "Item currency differs from the invoice's", "invalid_request_error");
        if (invoice.Lines.Count >= MaxInvoiceItems)
        {
            return Error(400, "invoice_too_many_line_items", $"An invoice can have at most {MaxInvoiceItems} invoice items", "invalid_request_error");
        }
        var line = new FakeStripeLine("il_" + Next(), "ii_" + Next(), amount, Value(form, "description") ?? "", metadata)
        {
            Customer = invoice.Customer, Discountable = discountable,
        };
        invoice.Lines.Add(line);
        return Ok(ItemJson(line, invoice.Currency, invoice.Id));
    }

    private static JsonObject ItemJson(FakeStripeLine line, string currency, string? invoice) => new()
    {
        ["id"] = line.ItemId, ["object"] = "invoiceitem", ["amount"] = line.Amount, ["currency"] = currency, ["invoice"] = invoice,
        ["description"] = line.Description, ["discountable"] = line.Discountable, ["metadata"] = FakeStripeInvoice.Json(line.Metadata),
    };

    private static FakeResponse Ok(JsonObject body, int status = 200) => new(status, body.ToJsonString());

    private FakeResponse Finalize(FakeStripeInvoice invoice)
    {
        if (invoice.Status != "draft") return Error(400, "invoice_unexpected_state", "This invoice is already finalized", "invalid_request_error");
        invoice.AmountRemaining = invoice.Total;
        invoice.Status = invoice.Total == 0 ? "paid" : "open";
        invoice.Number = "FAKE-" + Next();
        return Ok(invoice.ToJson());
    }

    private FakeResponse Send(FakeStripeInvoice invoice)
    {
        if (invoice.CollectionMethod != "send_invoice")
        {
            return Error(400, "invoice_not_send_invoice", "You can only manually send an invoice if its collection method is 'send_invoice'.", "invalid_request_error");
        }
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

    private FakeResponse CreateCreditNote(List<KeyValuePair<string, string>> form)
    {
        if (Value(form, "invoice") is not { } id) return Error(400, "parameter_missing", "Missing required param: invoice.", "invalid_request_error");
        if (!_invoices.TryGetValue(id, out var invoice) || invoice.Deleted) return Error(400, "resource_missing", $"No such invoice: '{id}'", "invalid_request_error");
        if (invoice.Status is not ("open" or "paid"))
        {
            return Error(400, "invoice_not_finalized", $"Invoice {id} is {invoice.Status}; credit notes need an open or paid invoice", "invalid_request_error");
        }
        var lines = new List<(long Amount, string Description)>();
        for (var i = 0; Value(form, $"lines[{i}][type]") is { } type; i++)
        {
            if (type != "custom_line_item") return Error(400, "parameter_invalid_string", "Only custom_line_item lines are modelled", "invalid_request_error");
            if (!long.TryParse(Value(form, $"lines[{i}][unit_amount]"), out var unit) || unit < 0)
            {
                return Error(400, "parameter_invalid_integer", $"Invalid non-negative integer: lines[{i}][unit_amount]", "invalid_request_error");
            }
            var quantity = long.TryParse(Value(form, $"lines[{i}][quantity]"), out var q) ? q : 1;
            lines.Add((unit * quantity, Value(form, $"lines[{i}][description]") ?? ""));
        }
        var total = lines.Sum(l => l.Amount);
        if (total <= 0) return Error(400, "parameter_missing", "A credit note needs a positive amount", "invalid_request_error");
        var credited = _creditNotes.Values.Where(c => c.Invoice == id && c.Status == "issued").Sum(c => c.Total);
        if (credited + total > invoice.Total)
        {
            return Error(400, "credit_note_invalid_amount", $"The credit note total {total} exceeds what is left to credit on {id} ({invoice.Total - credited})", "invalid_request_error");
        }
        var pre = Math.Min(total, invoice.AmountRemaining);
        var post = total - pre;
        long Amount(string name) => long.TryParse(Value(form, name), out var v) ? v : 0;
        var refund = Amount("refund_amount");
        var outside = Amount("credit_amount") + Amount("out_of_band_amount");
        if (refund + outside != post)
        {
            return Error(400, "credit_note_invalid_amount",
                $"The sum of refund_amount, credit_amount and out_of_band_amount ({refund + outside}) must equal the post-payment amount ({post})", "invalid_request_error");
        }
        invoice.AmountRemaining -= pre;
        if (invoice.Status == "open" && invoice.AmountRemaining == 0) invoice.Status = "paid";
        var note = new FakeStripeCreditNote("cn_" + Next(), id, invoice.Customer, invoice.Currency, total, pre, post, refund, "issued",
            Metadata(form), lines.Select(l => l.Description).ToList());
        _creditNotes[note.Id] = note;
        return Ok(note.ToJson());
    }

    private FakeResponse VoidCreditNote(string id)
    {
        if (!_creditNotes.TryGetValue(id, out var note)) return Error(404, "resource_missing", $"No such credit note: '{id}'", "invalid_request_error");
        if (note.Status != "issued") return Error(400, "credit_note_unexpected_state", "This credit note is already void", "invalid_request_error");
        if (note.Refunded > 0) return Error(400, "credit_note_unexpected_state", "A credit note with a refund cannot be voided", "invalid_request_error");
        var voided = note with { Status = "void" };
        _creditNotes[id] = voided;
        _invoices[note.Invoice].AmountRemaining += note.PrePayment;
        return Ok(voided.ToJson());
    }

    private FakeResponse WithInvoice(string id, Func<FakeStripeInvoice, FakeResponse> action) =>
        _invoices.TryGetValue(id, out var invoice) && !invoice.Deleted
            ? action(invoice)
            : Error(404, "resource_missing", $"No such invoice: '{id}'", "invalid_request_error");

    /// <summary>
    /// A Stripe list: newest first (an invoice's lines in invoice order), <c>limit</c> 1–100 (default 10),
    /// <c>starting_after</c> the last id of the previous page.
    /// </summary>
    private static FakeResponse Page(IEnumerable<JsonObject> objects, FakeRequest request, string url, bool newestFirst = true)
    {
        var limit = int.TryParse(request.QueryValue("limit"), out var l) ? l : 10;
        if (limit is < 1 or > 100) return Error(400, "parameter_invalid_integer", "limit must be between 1 and 100", "invalid_request_error");
        static string Sequence(JsonObject o) => o["id"]!.GetValue<string>()[(o["id"]!.GetValue<string>().IndexOf('_') + 1)..];
        var ordered = newestFirst ? objects.OrderByDescending(Sequence, StringComparer.Ordinal).ToList() : objects.ToList();
        if (request.QueryValue("starting_after") is { } after)
        {
            var index = ordered.FindIndex(o => o["id"]!.GetValue<string>() == after);
            if (index < 0) return Error(400, "resource_missing", $"No such object: '{after}'", "invalid_request_error");
            ordered = ordered.Skip(index + 1).ToList();
        }
        var data = new JsonArray();
        foreach (var o in ordered.Take(limit)) data.Add(o.DeepClone());
        return Ok(new JsonObject { ["object"] = "list", ["data"] = data, ["has_more"] = ordered.Count > limit, ["url"] = url });
    }

    private static long? Created(FakeRequest request) => long.TryParse(request.QueryValue("created[gte]"), out var from) ? from : null;

    private string Next() => (++_next).ToString("D6", CultureInfo.InvariantCulture);

    private static List<KeyValuePair<string, string>> ParseForm(string body)
    {
        var parsed = HttpUtility.ParseQueryString(body);
        return parsed.AllKeys.Where(k => k is not null).Select(k => new KeyValuePair<string, string>(k!, parsed[k]!)).ToList();
    }

    private static string Canonical(List<KeyValuePair<string, string>> form) =>
        string.Join("&", form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));

    private static string? Value(List<KeyValuePair<string, string>> form, string key) => form.FirstOrDefault(p => p.Key == key).Value;

    private static Dictionary<string, string> Metadata(List<KeyValuePair<string, string>> form) =>
        form.Where(p => p.Key.StartsWith("metadata[", StringComparison.Ordinal))
            .ToDictionary(p => p.Key["metadata[".Length..^1], p => p.Value, StringComparer.Ordinal);
}

public sealed class FakeStripeCustomer(string id, string? name, string? email, long created, Dictionary<string, string> metadata)
{
    public string Id { get; } = id;
    public string? Email { get; } = email;
    public long Created { get; } = created;
    public Dictionary<string, string> Metadata { get; } = metadata;
    public int PercentOff { get; set; }

    public JsonObject ToJson() => new()
    {
        ["id"] = Id, ["object"] = "customer", ["name"] = name, ["email"] = Email, ["created"] = Created,
        ["metadata"] = FakeStripeInvoice.Json(Metadata),
    };
}

public sealed record FakeStripeLine(string Id, string ItemId, long Amount, string Description, Dictionary<string, string> Metadata)
{
    public string? Customer { get; init; }
    public bool Discountable { get; init; } = true;
}

public sealed record FakeStripeCreditNote(
    string Id, string Invoice, string Customer, string Currency, long Total, long PrePayment, long PostPayment, long Refunded, string Status,
    Dictionary<string, string> Metadata, IReadOnlyList<string> LineDescriptions)
{
    public JsonObject ToJson() => new()
    {
        ["id"] = Id, ["object"] = "credit_note", ["invoice"] = Invoice, ["customer"] = Customer, ["currency"] = Currency,
        ["amount"] = Total, ["total"] = Total, ["subtotal"] = Total, ["pre_payment_amount"] = PrePayment, ["post_payment_amount"] = PostPayment,
        ["status"] = Status, ["type"] = PostPayment > 0 ? "post_payment" : "pre_payment", ["metadata"] = FakeStripeInvoice.Json(Metadata),
    };
}

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
    public string CollectionMethod { get; set; } = "charge_automatically";
    /// <summary>The customer's coupon the invoice inherited (0: none).</summary>
    public int PercentOff { get; set; }
    public bool Deleted { get; set; }
    public int SendCount { get; set; }
    public long AmountRemaining { get; set; }
    public long AmountPaid { get; set; }
    public long Subtotal => Lines.Sum(l => l.Amount);
    public long Discount => (long)Math.Round(Lines.Where(l => l.Discountable).Sum(l => l.Amount) * PercentOff / 100m, MidpointRounding.AwayFromZero);
    public long Total => Subtotal - Discount;

    public FakeStripeInvoice Copy() => new(Id, Customer, Currency, new(Metadata))
    {
        Lines = [.. Lines], Status = Status, Number = Number, AutoAdvance = AutoAdvance, CollectionMethod = CollectionMethod, PercentOff = PercentOff,
        Deleted = Deleted, SendCount = SendCount, AmountRemaining = AmountRemaining, AmountPaid = AmountPaid,
    };

    public JsonObject ToJson()
    {
        var lines = new JsonArray();
        foreach (var line in LineObjects().Take(10)) lines.Add(line);
        return new JsonObject
        {
            ["id"] = Id, ["object"] = "invoice", ["customer"] = Customer, ["currency"] = Currency, ["status"] = Status,
            ["number"] = Number, ["auto_advance"] = AutoAdvance, ["collection_method"] = CollectionMethod,
            ["subtotal"] = Subtotal, ["total"] = Total, ["amount_due"] = Status == "draft" ? Total : AmountRemaining + AmountPaid,
            ["amount_remaining"] = Status == "draft" ? Total : AmountRemaining, ["amount_paid"] = AmountPaid, ["metadata"] = Json(Metadata),
            ["lines"] = new JsonObject { ["object"] = "list", ["data"] = lines, ["has_more"] = Lines.Count > 10, ["url"] = $"/v1/invoices/{Id}/lines" },
        };
    }

    public IEnumerable<JsonObject> LineObjects() => Lines.Select(line => new JsonObject
    {
        ["id"] = line.Id, ["object"] = "line_item", ["amount"] = line.Amount, ["currency"] = Currency, ["description"] = line.Description,
        ["invoice"] = Id, ["discountable"] = line.Discountable, ["metadata"] = Json(line.Metadata),
    });

    public static JsonObject Json(Dictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal)) o[k] = v;
        return o;
    }
}
