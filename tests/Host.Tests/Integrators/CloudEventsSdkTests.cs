using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using RulesBilling.Host.Tests.Api;
using SdkEvent = CloudNative.CloudEvents.CloudEvent;

namespace RulesBilling.Host.Tests.Integrators;

/// <summary>
/// Events sent with the official CloudEvents .NET SDK (CloudNative.CloudEvents 2.9.0 with its System.Text.Json
/// formatter) in each content mode of the HTTP binding reach a real server and are billed.
/// </summary>
public sealed class CloudEventsSdkTests
{
    private static readonly CloudEventAttribute TraceParent = CloudEventAttribute.CreateExtension("traceparent", CloudEventAttributeType.String);
    private static readonly JsonEventFormatter Formatter = new();

    private static readonly CloudEventAttribute TenantRegion = CloudEventAttribute.CreateExtension("tenantregion", CloudEventAttributeType.String);

    /// <summary>Support, counting only traced tickets (event.ext.traceparent), priced by the tenantregion extension.</summary>
    private const string TracedRules = """
        event ticket.resolved {
          ticket_id: string
        }

        outcome resolved from ticket.resolved {
          when has(event.ext.traceparent) and event.ext.traceparent != ""
          key ticket_id
          dimensions { region: event.ext.tenantregion ?? "us" }
        }

        pricing support {
          charge resolved where (region ?? "") == "eu" { unit 5 USD }
          charge resolved { unit 2 USD }
        }

        contract standard version 1 effective 2026-01-01 {
          customers default
          pricing support
          currency USD
          period monthly
        }
        """;

    private static SdkEvent Traced(string id, bool traced, string? region = null)
    {
        var cloudEvent = Ticket(id);
        if (!traced) cloudEvent[TraceParent] = null;
        if (region is not null) cloudEvent[TenantRegion] = region;
        return cloudEvent;
    }

    private static SdkEvent Ticket(string id, string customer = "acme")
    {
        var cloudEvent = new SdkEvent(CloudEventsSpecVersion.V1_0, [TraceParent, TenantRegion])
        {
            Id = id,
            Source = new Uri("agent://support"),
            Type = "ticket.resolved",
            Subject = customer,
            Time = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero),
            DataContentType = "application/json",
            Data = JsonSerializer.SerializeToElement(new { ticket_id = "T-" + id }),
        };
        cloudEvent[TraceParent] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        return cloudEvent;
    }

    private static async Task<JsonNode> PostAsync(HttpClient client, HttpContent content)
    {
        var response = await client.PostAsync("/v1/events", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task Structured_batch_and_binary_modes_from_the_sdk_are_all_accepted_and_billed()
    {
        await using var server = await ApiServer.StartAsync(clock: new FixedClock(new DateTimeOffset(2026, 3, 20, 0, 0, 0, TimeSpan.Zero)));
        using var client = await server.TenantAsync("sdk");

        var structured = Ticket("s1").ToHttpContent(ContentMode.Structured, Formatter);
        Assert.Equal("application/cloudevents+json", structured.Headers.ContentType!.MediaType);
        Assert.Equal(1, (await PostAsync(client, structured))["accepted"]!.GetValue<int>());

        var batch = new[] { Ticket("b1"), Ticket("b2") }.ToHttpContent(Formatter);
        Assert.Equal("application/cloudevents-batch+json", batch.Headers.ContentType!.MediaType);
        Assert.Equal(2, (await PostAsync(client, batch))["accepted"]!.GetValue<int>());

        var binary = Ticket("n1").ToHttpContent(ContentMode.Binary, Formatter);
        Assert.Equal("application/json", binary.Headers.ContentType!.MediaType);
        var binaryAnswer = await PostAsync(client, binary);
        Assert.Equal(1, binaryAnswer["accepted"]!.GetValue<int>());
        Assert.Equal(("agent://support", "n1"), (binaryAnswer["events"]![0]!["source"]!.GetValue<string>(), binaryAnswer["events"]![0]!["id"]!.GetValue<string>()));

        // The same binary event again is a duplicate on (source, id), as in the other modes.
        var again = await PostAsync(client, Ticket("n1").ToHttpContent(ContentMode.Binary, Formatter));
        Assert.Equal(1, again["duplicates"]!.GetValue<int>());

        var preview = JsonNode.Parse(await client.GetStringAsync("/v1/customers/acme/invoices/preview"))!;
        var line = preview["invoices"]![0]!["lines"]![0]!;
        Assert.Equal("4", line["quantity"]!.GetValue<string>());
        Assert.Equal("8.00", preview["invoices"]![0]!["total"]!.GetValue<string>());
        var counted = line["events"]!.AsArray().Select(e => e!.GetValue<string>()).Order().ToList();
        Assert.Equal(4, counted.Count);
    }

    [Fact]
    public async Task Extensions_sent_by_the_sdk_in_every_mode_reach_a_rule_reading_event_ext()
    {
        await using var server = await ApiServer.StartAsync(startupRules: TracedRules, clock: new FixedClock(new DateTimeOffset(2026, 3, 20, 0, 0, 0, TimeSpan.Zero)));
        using var client = await server.TenantAsync("ext");

        await PostAsync(client, Traced("s1", traced: true, region: "eu").ToHttpContent(ContentMode.Structured, Formatter));
        await PostAsync(client, new[] { Traced("b1", traced: true), Traced("b2", traced: false, region: "eu") }.ToHttpContent(Formatter));
        // Binary mode: the extensions travel as ce-traceparent and ce-tenantregion headers.
        await PostAsync(client, Traced("n1", traced: true, region: "eu").ToHttpContent(ContentMode.Binary, Formatter));
        await PostAsync(client, Traced("n2", traced: false).ToHttpContent(ContentMode.Binary, Formatter));

        var invoice = JsonNode.Parse(await client.GetStringAsync("/v1/customers/acme/invoices/preview"))!["invoices"]![0]!;
        var lines = invoice["lines"]!.AsArray()
            .Select(l => (Total: l!["amount"]?.GetValue<string>() ?? l["total"]?.GetValue<string>(), Events: string.Join(" ", l["events"]!.AsArray().Select(e => e!.GetValue<string>()).Order(StringComparer.Ordinal))))
            .OrderBy(l => l.Events, StringComparer.Ordinal)
            .ToList();
        // Untraced b2 and n2 are excluded by the condition; n1's region came from a header, b1 had none ("us").
        Assert.Equal(2, lines.Count);
        Assert.Contains("b1", lines[0].Events, StringComparison.Ordinal);
        Assert.DoesNotContain("b2", lines[0].Events + lines[1].Events, StringComparison.Ordinal);
        Assert.DoesNotContain("n2", lines[0].Events + lines[1].Events, StringComparison.Ordinal);
        Assert.Contains("n1", lines[1].Events, StringComparison.Ordinal);
        Assert.Contains("s1", lines[1].Events, StringComparison.Ordinal);
        Assert.Equal("12.00", invoice["total"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_binary_event_the_rules_refuse_is_answered_422_and_kept_for_replay()
    {
        await using var server = await ApiServer.StartAsync();
        using var client = await server.TenantAsync("sdk");
        var wrong = Ticket("x1");
        wrong.Data = JsonSerializer.SerializeToElement(new { other = 1 });

        var response = await client.PostAsync("/v1/events", wrong.ToHttpContent(ContentMode.Binary, Formatter));

        var problem = await ApiServer.AssertProblemAsync(response, 422);
        Assert.Contains("ticket_id", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var rejected = JsonNode.Parse(await client.GetStringAsync("/v1/events/rejected"))!.AsArray();
        var kept = Assert.Single(rejected);
        Assert.Equal("x1", kept!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_whole_event_sent_as_application_json_without_ce_headers_is_told_about_both_modes()
    {
        await using var server = await ApiServer.StartAsync();
        using var client = await server.TenantAsync("modes");
        var json = """{"specversion":"1.0","id":"j1","source":"agent://support","type":"ticket.resolved","subject":"acme","time":"2026-03-10T09:00:00Z","data":{"ticket_id":"T-1"}}""";

        var problem = await ApiServer.AssertProblemAsync(await client.PostAsync("/v1/events", ApiServer.Json(json)), 415);

        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("ce-specversion", detail, StringComparison.Ordinal);
        Assert.Contains("application/cloudevents+json", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_structured_event_with_data_base64_is_decoded_and_billed()
    {
        await using var server = await ApiServer.StartAsync(clock: new FixedClock(new DateTimeOffset(2026, 3, 20, 0, 0, 0, TimeSpan.Zero)));
        using var client = await server.TenantAsync("b64");
        var data = Convert.ToBase64String("""{"ticket_id":"T-9"}"""u8.ToArray());
        var json = $$"""{"specversion":"1.0","id":"d1","source":"agent://support","type":"ticket.resolved","subject":"acme","time":"2026-03-10T09:00:00Z","datacontenttype":"application/json","data_base64":"{{data}}"}""";

        var answer = await PostAsync(client, ApiServer.Json(json, "application/cloudevents+json"));

        Assert.Equal(1, answer["accepted"]!.GetValue<int>());
        var preview = JsonNode.Parse(await client.GetStringAsync("/v1/customers/acme/invoices/preview"))!;
        Assert.Equal("2.00", preview["invoices"]![0]!["total"]!.GetValue<string>());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
