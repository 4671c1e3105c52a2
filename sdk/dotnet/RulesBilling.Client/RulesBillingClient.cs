using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Polly;
using Polly.Retry;

namespace RulesBilling.Client;

public sealed record RulesBillingClientOptions(Uri BaseAddress, string ApiKey)
{
    /// <summary>Attempts after the first for 429, 502, 503, 504 and network errors.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>The first back-off, doubled per attempt (with jitter); a Retry-After header wins.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>A problem+json answer (RFC 9457) from the API.</summary>
public sealed class RulesBillingException(HttpStatusCode status, Problem? problem, string body)
    : Exception(problem is null ? $"{(int)status}: {body}" : $"{problem.Status} {problem.Title}: {problem.Detail}")
{
    public HttpStatusCode Status { get; } = status;
    public Problem? Problem { get; } = problem;
}

/// <summary>
/// The RulesBilling API. Every route it calls is listed in <see cref="Routes"/> by the operationId the API's OpenAPI
/// document gives it. Reads, PUTs, finalize, void and events are retried with Polly; the request bytes of a retry are
/// those of the first attempt, so events keep their ids and a retry that had reached the server is a duplicate.
/// </summary>
public sealed class RulesBillingClient : IDisposable
{
    public const int MaxBatch = 1000;

    /// <summary>operationId to (method, path template), as in the OpenAPI document.</summary>
    public static readonly IReadOnlyDictionary<string, (string Method, string Path)> Routes = new Dictionary<string, (string, string)>
    {
        ["ingestEvents"] = ("POST", "/v1/events"),
        ["createCustomer"] = ("POST", "/v1/customers"),
        ["getCustomer"] = ("GET", "/v1/customers/{customer}"),
        ["listCustomers"] = ("GET", "/v1/customers"),
        ["grantCredits"] = ("POST", "/v1/customers/{customer}/credits"),
        ["previewInvoice"] = ("GET", "/v1/customers/{customer}/invoices/preview"),
        ["finalizeInvoice"] = ("POST", "/v1/customers/{customer}/invoices/finalize"),
        ["listInvoices"] = ("GET", "/v1/invoices"),
        ["getInvoice"] = ("GET", "/v1/invoices/{invoice}"),
        ["voidInvoice"] = ("POST", "/v1/invoices/{invoice}/void"),
        ["checkEntitlement"] = ("POST", "/v1/customers/{customer}/entitlements/{feature}/check"),
        ["getBalance"] = ("GET", "/v1/customers/{customer}/balance"),
    };

    private static readonly HttpStatusCode[] Transient =
        [HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout];

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    /// <param name="http">An HttpClient to use (e.g. with a handler of your own); its BaseAddress is set from the options.</param>
    public RulesBillingClient(RulesBillingClientOptions options, HttpClient? http = null)
    {
        _ownsHttp = http is null;
        _http = http ?? new HttpClient();
        _http.BaseAddress = options.BaseAddress;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(options.Retries, 1),
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult(r => Transient.Contains(r.StatusCode)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result?.Headers.RetryAfter?.Delta is { } after ? after : (TimeSpan?)null),
            })
            .Build();
        Retries = options.Retries;
    }

    private int Retries { get; }

    /// <summary>The CloudEvent an input stands for; the id is chosen here, once.</summary>
    public static CloudEvent ToCloudEvent(EventInput input) => new(
        "1.0", input.Id ?? Guid.NewGuid().ToString("N"), input.Source, input.Type, input.Subject, input.Time ?? DateTimeOffset.UtcNow,
        "application/json", input.Data is null ? null : JsonSerializer.SerializeToElement(input.Data, Json.Options))
    {
        Extensions = input.Extensions?.ToDictionary(e => e.Key, e => JsonSerializer.SerializeToElement(e.Value)),
    };

    /// <summary>One event. A rejected event throws a 422 <see cref="RulesBillingException"/> with its reason.</summary>
    public Task<IngestionResult> SendEventAsync(EventInput input, CancellationToken cancellationToken = default) =>
        SendAsync<IngestionResult>("ingestEvents", [], null, ToCloudEvent(input), "application/cloudevents+json", retry: true, cancellationToken);

    /// <summary>Any number of events in batches of at most <see cref="MaxBatch"/>; the answer sums them.</summary>
    public async Task<IngestionResult> SendEventsAsync(IEnumerable<EventInput> inputs, CancellationToken cancellationToken = default) =>
        await SendCloudEventsAsync(inputs.Select(ToCloudEvent).ToList(), cancellationToken);

    /// <summary>Already formed CloudEvents (their ids as given) in batches of at most <see cref="MaxBatch"/>.</summary>
    public async Task<IngestionResult> SendCloudEventsAsync(IReadOnlyList<CloudEvent> events, CancellationToken cancellationToken = default)
    {
        int accepted = 0, duplicates = 0, rejected = 0;
        var results = new List<EventResult>();
        foreach (var chunk in events.Chunk(MaxBatch))
        {
            var answer = await SendAsync<IngestionResult>("ingestEvents", [], null, chunk, "application/cloudevents-batch+json", retry: true, cancellationToken);
            var offset = results.Count;
            accepted += answer.Accepted;
            duplicates += answer.Duplicates;
            rejected += answer.Rejected;
            results.AddRange(answer.Events.Select(e => e with { Index = e.Index + offset }));
        }
        return new IngestionResult(accepted, duplicates, rejected, results);
    }

    /// <summary>A buffer flushed in the background; dispose it to send what is left.</summary>
    public EventBatcher CreateBatcher(int maxBatch = 500, TimeSpan? flushInterval = null, Action<Exception>? onError = null) =>
        new(this, maxBatch, flushInterval ?? TimeSpan.FromSeconds(1), onError);

    public Task<Customer> CreateCustomerAsync(string id, string? name = null, CancellationToken cancellationToken = default) =>
        SendAsync<Customer>("createCustomer", [], null, new { id, name }, null, retry: false, cancellationToken);

    public Task<Customer> GetCustomerAsync(string customer, CancellationToken cancellationToken = default) =>
        SendAsync<Customer>("getCustomer", [("customer", customer)], null, null, null, retry: true, cancellationToken);

    public Task<IReadOnlyList<Customer>> ListCustomersAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<Customer>>("listCustomers", [], null, null, null, retry: true, cancellationToken);

    public Task<CreditGrant> GrantCreditsAsync(string customer, decimal amount, string currency, CancellationToken cancellationToken = default) =>
        SendAsync<CreditGrant>("grantCredits", [("customer", customer)], null, new { amount, currency }, null, retry: false, cancellationToken);

    public Task<Preview> PreviewInvoiceAsync(string customer, DateTimeOffset? at = null, CancellationToken cancellationToken = default) =>
        SendAsync<Preview>("previewInvoice", [("customer", customer)], At(at), null, null, retry: true, cancellationToken);

    /// <summary>Idempotent on the server (finalizing again returns the same invoice), so it is retried.</summary>
    public Task<Invoice> FinalizeInvoiceAsync(string customer, DateTimeOffset periodFrom, CancellationToken cancellationToken = default) =>
        SendAsync<Invoice>("finalizeInvoice", [("customer", customer)], null, new { periodFrom }, null, retry: true, cancellationToken);

    public Task<IReadOnlyList<Invoice>> ListInvoicesAsync(string? customer = null, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<Invoice>>("listInvoices", [], customer is null ? null : "customer=" + Uri.EscapeDataString(customer), null, null, retry: true, cancellationToken);

    public Task<Invoice> GetInvoiceAsync(string invoice, CancellationToken cancellationToken = default) =>
        SendAsync<Invoice>("getInvoice", [("invoice", invoice)], null, null, null, retry: true, cancellationToken);

    public Task<Invoice> VoidInvoiceAsync(string invoice, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync<Invoice>("voidInvoice", [("invoice", invoice)], null, new { reason }, null, retry: true, cancellationToken);

    public Task<UsageCheck> CheckEntitlementAsync(string customer, string feature, decimal quantity = 1m, CancellationToken cancellationToken = default) =>
        SendAsync<UsageCheck>("checkEntitlement", [("customer", customer), ("feature", feature)], null, new { quantity }, null, retry: true, cancellationToken);

    public Task<CustomerBalance> GetBalanceAsync(string customer, CancellationToken cancellationToken = default) =>
        SendAsync<CustomerBalance>("getBalance", [("customer", customer)], null, null, null, retry: true, cancellationToken);

    private static string? At(DateTimeOffset? at) => at is { } v ? "at=" + Uri.EscapeDataString(v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)) : null;

    private async Task<T> SendAsync<T>(
        string operation, (string Name, string Value)[] path, string? query, object? body, string? mediaType, bool retry, CancellationToken cancellationToken)
    {
        var (method, template) = Routes[operation];
        var url = path.Aggregate(template, (u, p) => u.Replace("{" + p.Name + "}", Uri.EscapeDataString(p.Value), StringComparison.Ordinal)).TrimStart('/');
        if (query is not null) url += "?" + query;
        // Serialized once: every attempt sends these bytes, with the same event ids.
        var bytes = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, Json.Options);

        HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (bytes is not null)
            {
                request.Content = new ByteArrayContent(bytes);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType ?? "application/json");
            }
            return request;
        }

        using var response = retry && Retries > 0
            ? await _retry.ExecuteAsync(async ct => await _http.SendAsync(Build(), ct), cancellationToken)
            : await _http.SendAsync(Build(), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            Problem? problem = null;
            try
            {
                problem = JsonSerializer.Deserialize<Problem>(text, Json.Options);
            }
            catch (JsonException)
            {
                // Not problem+json (e.g. a proxy's page): the body is in the message.
            }
            throw new RulesBillingException(response.StatusCode, problem, text);
        }
        return JsonSerializer.Deserialize<T>(text, Json.Options) ?? throw new RulesBillingException(response.StatusCode, null, "empty answer");
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
