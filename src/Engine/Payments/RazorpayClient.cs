using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// The few Razorpay endpoints we use, over a shared <see cref="HttpClient"/> with per-request Basic auth (key_id:
/// key_secret), so several tenants can share one client. JSON in and out; errors become <see cref="RazorpayException"/>.
/// Razorpay has no idempotency header for invoices: callers look up by receipt before creating.
/// </summary>
internal sealed class RazorpayClient(HttpClient http, ProviderAccount account)
{
    public const string DefaultApiBase = "https://api.razorpay.com";

    private readonly string _base = (account.ApiBase ?? DefaultApiBase).TrimEnd('/');

    /// <summary>With <c>fail_existing</c> "0" Razorpay answers the existing customer with exactly this email and contact.</summary>
    public Task<RazorpayCustomer> CreateCustomerAsync(string name, string? email, string? contact, IReadOnlyDictionary<string, string> notes, CancellationToken ct) =>
        SendAsync<RazorpayCustomer>(HttpMethod.Post, "/v1/customers", new RazorpayCustomerRequest(name, email, contact, "0", notes), ct);

    public async Task<IReadOnlyList<RazorpayRefund>> ListRefundsAsync(string paymentId, CancellationToken ct) =>
        (await SendAsync<RazorpayCollection<RazorpayRefund>>(HttpMethod.Get, $"/v1/payments/{Uri.EscapeDataString(paymentId)}/refunds?count=100", null, ct)).Items;

    public Task<RazorpayRefund> RefundAsync(string paymentId, long amount, string receipt, IReadOnlyDictionary<string, string> notes, CancellationToken ct) =>
        SendAsync<RazorpayRefund>(HttpMethod.Post, $"/v1/payments/{Uri.EscapeDataString(paymentId)}/refund", new { amount, speed = "normal", receipt, notes }, ct);

    public async Task<RazorpayInvoice?> FindInvoiceByReceiptAsync(string receipt, CancellationToken ct)
    {
        var found = await SendAsync<RazorpayCollection<RazorpayInvoice>>(HttpMethod.Get, "/v1/invoices?receipt=" + Uri.EscapeDataString(receipt), null, ct);
        return found.Items.Where(i => i.Receipt == receipt).OrderBy(i => i.Id, StringComparer.Ordinal).FirstOrDefault();
    }

    public Task<RazorpayInvoice> CreateDraftInvoiceAsync(
        string customerId, string currency, string receipt, string description, IReadOnlyList<RazorpayLineItem> lines,
        IReadOnlyDictionary<string, string> notes, CancellationToken ct) =>
        SendAsync<RazorpayInvoice>(HttpMethod.Post, "/v1/invoices", new
        {
            type = "invoice",
            customer_id = customerId,
            currency,
            receipt,
            description,
            draft = "1",
            line_items = lines,
            notes,
        }, ct);

    public Task<RazorpayInvoice> GetInvoiceAsync(string id, CancellationToken ct) =>
        SendAsync<RazorpayInvoice>(HttpMethod.Get, "/v1/invoices/" + Uri.EscapeDataString(id), null, ct);

    public Task<RazorpayInvoice> IssueAsync(string id, CancellationToken ct) =>
        SendAsync<RazorpayInvoice>(HttpMethod.Post, $"/v1/invoices/{Uri.EscapeDataString(id)}/issue", null, ct);

    public Task<RazorpayInvoice> CancelAsync(string id, CancellationToken ct) =>
        SendAsync<RazorpayInvoice>(HttpMethod.Post, $"/v1/invoices/{Uri.EscapeDataString(id)}/cancel", null, ct);

    public Task<JsonElement> DeleteAsync(string id, CancellationToken ct) =>
        SendAsync<JsonElement>(HttpMethod.Delete, "/v1/invoices/" + Uri.EscapeDataString(id), null, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, _base + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account.ApiKey}:{account.ApiSecret}")));
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType());

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw Error(response.StatusCode, method, path, text);
        try
        {
            return JsonSerializer.Deserialize<T>(text) ?? throw new JsonException("empty body");
        }
        catch (JsonException e)
        {
            // A garbled 2xx body is as ambiguous as a dropped connection: look up and retry.
            throw new RazorpayException(null, null, $"Razorpay {method} {StripQuery(path)}: unreadable response ({e.Message})");
        }
    }

    private static RazorpayException Error(HttpStatusCode status, HttpMethod method, string path, string body)
    {
        string? code = null, description = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error))
            {
                code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                description = error.TryGetProperty("description", out var d) ? d.GetString() : null;
            }
        }
        catch (JsonException)
        {
            description = null;
        }
        return new RazorpayException(status, code,
            $"Razorpay {(int)status} {code ?? "error"} on {method} {StripQuery(path)}: {description ?? "no description"}");
    }

    private static string StripQuery(string path) => path.Split('?')[0];
}
