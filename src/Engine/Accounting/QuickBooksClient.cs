using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Accounting;

/// <summary>
/// The one QuickBooks Online call the push makes: <c>POST /v3/company/{realmId}/journalentry?requestid=…</c> with the
/// bearer token and a JournalEntry body; the answer's <c>JournalEntry.Id</c> is the remote id. A Fault answer
/// (<c>{"Fault":{"Error":[{"Message","Detail","code"}],"type"}}</c>) becomes a <see cref="PaymentException"/>: throttling
/// (429) and service faults (5xx) are transient, validation (400) and authentication/authorization (401/403) faults
/// need a person. A cut connection or an unreadable answer is transient: the retry is answered from the requestid.
/// </summary>
internal sealed class QuickBooksClient(HttpClient http)
{
    public const int MinorVersion = 75;

    public async Task<string> CreateJournalEntryAsync(QuickBooksAccount account, string body, string requestId, CancellationToken cancellation)
    {
        var baseUrl = (account.ApiBase ?? QuickBooksAccount.DefaultApiBase).TrimEnd('/');
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"{baseUrl}/v3/company/{Uri.EscapeDataString(account.RealmId)}/journalentry?requestid={Uri.EscapeDataString(requestId)}&minorversion={MinorVersion}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await http.SendAsync(request, cancellation).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                using var ok = JsonDocument.Parse(text);
                return ok.RootElement.GetProperty("JournalEntry").GetProperty("Id").GetString()
                       ?? throw new PaymentException("QuickBooks answered without a JournalEntry id", FailureKind.Transient);
            }
            throw Fault(response.StatusCode, text);
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException && e is not PaymentException)
        {
            throw new PaymentException($"QuickBooks answer unreadable: {e.Message}", FailureKind.Transient, e);
        }
    }

    private static PaymentException Fault(HttpStatusCode status, string text)
    {
        var code = (int)status;
        var kind = code is 429 or >= 500 ? FailureKind.Transient : FailureKind.Permanent;
        var detail = "";
        try
        {
            using var fault = JsonDocument.Parse(text);
            var f = fault.RootElement.GetProperty("Fault");
            var error = f.GetProperty("Error")[0];
            detail = $"{f.GetProperty("type").GetString()} {error.GetProperty("code").GetString()}: {error.GetProperty("Message").GetString()}"
                     + (error.TryGetProperty("Detail", out var d) ? $" ({d.GetString()})" : "");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            detail = "no Fault body";
        }
        return new PaymentException($"QuickBooks {code} {detail}", kind);
    }
}
