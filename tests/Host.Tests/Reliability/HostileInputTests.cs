using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RulesBilling.Host.Tests.Reliability;

/// <summary>One server for the hostile-input tests; each test checks afterwards that it still serves.</summary>
public sealed class HostileServer : IAsyncLifetime
{
    internal InProcessServer Server { get; private set; } = null!;

    internal string Key { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await InProcessServer.StartAsync();
        Key = await Server.CreateTenantAsync("acme");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Malformed, oversized, deeply nested, badly encoded and absurd inputs: each gets a clear 4xx answer (or a
/// per-event rejection, or a rating error in the preview), never a 500 or a stack trace, and the server keeps serving.
/// </summary>
public sealed class HostileInputTests(HostileServer fixture) : IClassFixture<HostileServer>
{
    private static int _ids;

    public static TheoryData<string, string, int> Bodies => new()
    {
        { "deeply nested array", new string('[', 100_000) + new string(']', 100_000), 400 },
        { "deeply nested data", "[" + Event(Next(), "\"x\"").Replace("\"x\"", new string('[', 5000) + new string(']', 5000)) + "]", 400 },
        { "truncated", "[{\"specversion\":\"1.0\",\"id\":", 400 },
        { "not an array", "42", 400 },
        { "too many events", "[" + string.Join(',', Enumerable.Range(0, 1001).Select(_ => Event(Next(), "1"))) + "]", 400 },
        { "over the body limit", "[" + new string(' ', 2 * 1024 * 1024) + "]", 413 },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Unusable_bodies_get_a_problem_answer_and_the_server_keeps_serving(string name, string body, int status)
    {
        using var http = fixture.Server.Client(fixture.Key);
        var response = await http.PostAsync("/v1/events", Batch(body));
        await AssertProblemAsync(response, status, name);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_with_a_problem()
    {
        using var http = fixture.Server.Client(fixture.Key);
        var bytes = Encoding.UTF8.GetBytes("[" + Event(Next(), "1")[..40]).Concat(new byte[] { 0xC3, 0x28, 0xFF, 0xFE }).Concat(Encoding.UTF8.GetBytes("\"}]")).ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents-batch+json");
        await AssertProblemAsync(await http.PostAsync("/v1/events", content), 400, "invalid UTF-8");
        await AssertStillServesAsync();
    }

    public static TheoryData<string, string> BadTokens => new()
    {
        { "beyond double", "1e400" },
        { "beyond decimal", "79228162514264337593543950336" },
        { "a string", "\"lots\"" },
        { "an object", "{\"amount\":1}" },
        { "null", "null" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Numbers_that_are_no_decimal_are_rejected_with_a_reason(string name, string tokens)
    {
        using var http = fixture.Server.Client(fixture.Key);
        var response = await http.PostAsync("/v1/events", Batch("[" + Event(Next(), tokens) + "]"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {(int)response.StatusCode} {text}");
        var result = JsonNode.Parse(text)!;
        Assert.Equal(1, result["rejected"]!.GetValue<int>());
        Assert.Contains("tokens", result["events"]![0]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Negative_zero_and_overflowing_quantities_surface_as_rating_errors_not_crashes()
    {
        using var http = fixture.Server.Client(fixture.Key);
        var events = new[]
        {
            Event(Next(), "-5", "negative"), Event(Next(), "0", "zero"),
            Event(Next(), "79228162514264337593543950335", "overflow"), Event(Next(), "79228162514264337593543950335", "overflow"),
        };
        var accepted = JsonNode.Parse(await (await http.PostAsync("/v1/events", Batch("[" + string.Join(',', events) + "]"))).Content.ReadAsStringAsync())!;
        Assert.Equal(4, accepted["accepted"]!.GetValue<int>());

        var negative = JsonNode.Parse(await http.GetStringAsync("/v1/customers/negative/invoices/preview?at=2026-01-15T00:00:00Z"))!;
        Assert.Contains(negative["errors"]!.AsArray(), e => e!["code"]!.GetValue<string>() == "RB0903");
        var zero = JsonNode.Parse(await http.GetStringAsync("/v1/customers/zero/invoices/preview?at=2026-01-15T00:00:00Z"))!;
        Assert.Empty(zero["errors"]!.AsArray());
        Assert.Equal("10.00", zero["invoices"]![0]!["total"]!.GetValue<string>());

        var overflow = await http.GetAsync("/v1/customers/overflow/invoices/preview?at=2026-01-15T00:00:00Z");
        var overflowText = await overflow.Content.ReadAsStringAsync();
        Assert.True(overflow.StatusCode == HttpStatusCode.OK, overflowText);
        Assert.Contains(JsonNode.Parse(overflowText)!["errors"]!.AsArray(), e => e!["code"]!.GetValue<string>() == "RB0902");
        await AssertStillServesAsync();
    }

    public static TheoryData<string> Instants => new() { "0001-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "9999-12-31T23:59:59Z" };

    [Theory]
    [MemberData(nameof(Instants))]
    public async Task Timestamps_far_in_the_past_or_future_get_clear_answers(string time)
    {
        using var http = fixture.Server.Client(fixture.Key);
        var customer = "time-" + Next();
        var ingest = await http.PostAsync("/v1/events", Batch("[" + Event(Next(), "3", customer, time) + "]"));
        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);

        // Before 2026 no contract governs; in 9999 the period would end past the last date. Either way a problem, not a crash.
        var preview = await http.GetAsync($"/v1/customers/{customer}/invoices/preview?at={Uri.EscapeDataString(time)}");
        await AssertProblemAsync(preview, 400, "preview at " + time, allowOk: false, anyClientError: true);
        await AssertStillServesAsync();
    }

    /// <summary>
    /// FsCheck drives seeded mutations of a valid batch (characters dropped, JSON punctuation and hostile values
    /// inserted, fields swapped): whatever comes out, the answer is 200 or a 4xx problem, never a 500.
    /// </summary>
    [Property(MaxTest = 60)]
    public bool Mutated_batches_are_answered_never_crashed(NonNegativeInt seed, PositiveInt mutations)
    {
        var random = new Random(seed.Get);
        var text = new StringBuilder("[" + Event("m" + seed.Get, "12.5") + "," + Event("n" + seed.Get, "-0.0", "x", "2026-01-02T00:00:00+01:00") + "]");
        string[] hostile = ["\"", "{", "}", "[", "]", ",", ":", "\\u0000", "\\", "1e99999", "-", "null", "true", "\"data\":", "\uD800", "é"];
        for (var m = 0; m < Math.Min(mutations.Get, 8); m++)
        {
            var at = random.Next(text.Length + 1);
            if (random.Next(2) == 0 && at < text.Length) text.Remove(at, 1 + random.Next(Math.Min(5, text.Length - at)));
            else text.Insert(at, hostile[random.Next(hostile.Length)]);
        }

        using var http = fixture.Server.Client(fixture.Key);
        var response = http.PostAsync("/v1/events", Batch(text.ToString())).GetAwaiter().GetResult();
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        var status = (int)response.StatusCode;
        return (status == 200 || (status is >= 400 and < 500 && response.Content.Headers.ContentType?.MediaType == "application/problem+json"))
            && !body.Contains("   at ", StringComparison.Ordinal);
    }

    private async Task AssertStillServesAsync()
    {
        using var http = fixture.Server.Client(fixture.Key);
        var response = await http.PostAsync("/v1/events", Batch("[" + Event(Next(), "1") + "]"));
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(1, result["accepted"]!.GetValue<int>());
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string name, bool allowOk = false, bool anyClientError = false)
    {
        var text = await response.Content.ReadAsStringAsync();
        var code = (int)response.StatusCode;
        var expected = anyClientError ? code is >= 400 and < 500 : code == status || (allowOk && code == 200);
        Assert.True(expected, $"{name}: expected {status}, got {code}: {(text.Length > 300 ? text[..300] : text)}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(JsonNode.Parse(text)!["detail"]?.GetValue<string>()), name);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    private static StringContent Batch(string body) => new(body, Encoding.UTF8, "application/cloudevents-batch+json");

    private static string Next() => "h" + Interlocked.Increment(ref _ids);

    private static string Event(string id, string tokens, string customer = "cust-h", string time = "2026-01-10T10:00:00Z") =>
        "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"//hostile\",\"type\":\"task.done\",\"subject\":\"" + customer +
        "\",\"time\":\"" + time + "\",\"data\":{\"task_id\":\"" + id + "\",\"tokens\":" + tokens + "}}";
}
