using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Storage;
using UseCases = RulesBilling.Engine.Tests.Billing.UseCases;
using RulesBilling.Engine.Tests.Entitlements;
using RulesBilling.Engine.Tests.Ingestion;

using RulesBilling.Engine.Tests.Storage;

namespace RulesBilling.Engine.Tests.Notifications;

/// <summary>
/// Notifications raised by ingestion go through the outbox to a receiver on 127.0.0.1 that fails, times out and
/// answers slowly: every delivery arrives at least once, signed verifiably, and repeats carry the same delivery id.
/// Time between retries is a test clock moved by the loop; only the HTTP timeout is real time.
/// </summary>
public sealed class WebhookDeliveryTests : IDisposable
{
    private const string Secret = "whsec_test_secret";
    private static readonly CompiledRuleSet Rules = EntitlementRules.Compile();
    // The 3 s request timeout is far from both the "slow" answer (50 ms) and the one meant to time out (10 s), so the
    // outcome does not depend on how loaded the machine is.
    private static readonly WebhookRetryPolicy Policy = new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), 6, TimeSpan.FromSeconds(3));

    private readonly TestClock _clock = new(new DateTimeOffset(2026, 1, 20, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryBillingStore _billing = new();
    // The outbox lives in a billing store's file, as in serve (one LiteDatabase per process).
    private readonly TempDirectory _directory = new();
    private readonly LiteDbBillingStore _outboxFile;
    private readonly LiteDbNotificationStore _outbox;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });

    public WebhookDeliveryTests()
    {
        _outboxFile = new LiteDbBillingStore(_directory.File("notifications.db"));
        _outbox = new LiteDbNotificationStore(_outboxFile);
    }

    public void Dispose()
    {
        _http.Dispose();
        _outbox.Dispose();
        _outboxFile.Dispose();
        _directory.Dispose();
        _billing.Dispose();
    }

    private void Subscribe(string url, string[] types, int[] thresholds) =>
        _outbox.SaveSubscription(new WebhookSubscription("t1", "sub-1", url, types, Secret, thresholds, _clock.Now));

    private EntitlementView View() => new(_billing, _ => Rules, _clock, new NotificationOutbox(_outbox, _clock));

    private static string ExpectedSignature(string header, string body)
    {
        // Recomputed here from docs/webhooks.md, independently of WebhookSignature.
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(parts["t"] + "." + body));
        return Convert.ToHexStringLower(mac) == parts["v1"] ? "valid" : "invalid";
    }

    private async Task DrainAsync(WebhookDispatcher dispatcher)
    {
        for (var round = 0; round < 20 && _outbox.ListDeliveries("t1").Any(d => d.Status == DeliveryStatus.Pending); round++)
        {
            await dispatcher.DeliverDueAsync(50, CancellationToken.None);
            _clock.Now += Policy.MaxDelay;
        }
    }

    [Fact]
    public async Task Every_notification_arrives_at_least_once_signed_and_repeats_keep_the_delivery_id()
    {
        // Request 1 fails, request 2 outlasts the 3 s client timeout, every later one answers slowly but in time.
        using var receiver = new LoopbackReceiver(n => n switch
        {
            1 => (500, TimeSpan.Zero),
            2 => (200, TimeSpan.FromSeconds(10)),
            _ => (204, TimeSpan.FromMilliseconds(50)),
        });
        Subscribe(receiver.Url, [NotificationTypes.OutcomeBilled, NotificationTypes.EntitlementThreshold], [80]);
        var view = View();
        var ingestor = new EventIngestor(_billing, _clock);
        ingestor.Ingest("t1", "[" + string.Join(",",
            EntitlementRules.Resolved("r1", "acme", "2026-01-10T00:00:00Z", "a", units: 2),
            EntitlementRules.Resolved("r2", "acme", "2026-01-20T00:00:00Z", "b", units: 1)) + "]", Rules);
        // The worker's pass after ingestion (serve runs one every 2 s).
        view.Refresh(["t1"]);
        // The held outcomes become billable when their 2-day window closes; a refresh notices it.
        _clock.Now = new DateTimeOffset(2026, 1, 23, 0, 0, 0, TimeSpan.Zero);
        view.Refresh([]);

        await DrainAsync(new WebhookDispatcher(_outbox, _http, _clock, Policy));

        var deliveries = _outbox.ListDeliveries("t1");
        // resolved ×2 and verified ×2 billed, plus the 80% thresholds of resolutions (3 of 3) and verifications
        // (2 of 2): the subscription asked for 80% only, so the 50% and 100% levels are not delivered.
        Assert.Equal(6, deliveries.Count);
        Assert.Equal(4, deliveries.Count(d => d.Type == NotificationTypes.OutcomeBilled));
        var thresholds = deliveries.Where(d => d.Type == NotificationTypes.EntitlementThreshold)
            .Select(d => JsonDocument.Parse(d.Body).RootElement.GetProperty("data"))
            .Select(data => (data.GetProperty("feature").GetString(), data.GetProperty("percent").GetInt32()))
            .Order()
            .ToList();
        Assert.Equal([("resolutions", 80), ("verifications", 80)], thresholds);
        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));

        var received = receiver.Requests.ToList();
        Assert.All(received, r => Assert.Equal("valid", ExpectedSignature(r.Signature!, r.Body)));
        foreach (var delivery in deliveries)
        {
            var copies = received.Where(r => r.DeliveryId == delivery.Id).ToList();
            Assert.NotEmpty(copies);
            Assert.All(copies, c => Assert.Equal((delivery.Body, delivery.Type), (c.Body, c.Type)));
        }

        // The delivery that met the failure succeeded on its retry; the one that met the timeout was read by the
        // receiver anyway and then sent again: the receiver saw that delivery id twice.
        var failedOnce = Assert.Single(deliveries, d => d.Attempts[0].StatusCode == 500);
        Assert.Equal([500, 204], failedOnce.Attempts.Select(a => a.StatusCode));
        var timedOut = Assert.Single(deliveries, d => d.Attempts[0].Error?.StartsWith("no answer within", StringComparison.Ordinal) == true);
        Assert.Equal([null, 204], timedOut.Attempts.Select(a => a.StatusCode));
        Assert.Equal(2, received.Count(r => r.DeliveryId == timedOut.Id));
        Assert.All(deliveries.Where(d => d != failedOnce && d != timedOut), d => Assert.Equal(204, Assert.Single(d.Attempts).StatusCode));
    }

    [Fact]
    public async Task A_refused_connection_is_retried_with_backoff_until_the_attempts_run_out()
    {
        Subscribe($"http://127.0.0.1:{LoopbackReceiver.FreePort()}/closed", [NotificationTypes.OutcomeBilled], []);
        var ingestor = new EventIngestor(_billing, _clock);
        // Only "resolved" is billed now; "verified" stays in its validation window.
        ingestor.Ingest("t1", EntitlementRules.Resolved("r1", "acme", "2026-01-20T00:00:00Z", "a"), Rules);
        View().Refresh(["t1"]);
        var dispatcher = new WebhookDispatcher(_outbox, _http, _clock, Policy);

        var start = _clock.Now;
        await dispatcher.DeliverDueAsync(10, CancellationToken.None);
        var pending = Assert.Single(_outbox.ListDeliveries("t1"));
        Assert.Equal((DeliveryStatus.Pending, start + TimeSpan.FromSeconds(10)), (pending.Status, pending.NextAttemptAt));
        Assert.Null(Assert.Single(pending.Attempts).StatusCode);
        // Not due yet: nothing is attempted.
        Assert.Equal(0, await dispatcher.DeliverDueAsync(10, CancellationToken.None));

        await DrainAsync(dispatcher);
        var failed = Assert.Single(_outbox.ListDeliveries("t1"));
        Assert.Equal((DeliveryStatus.Failed, Policy.MaxAttempts), (failed.Status, failed.Attempts.Count));
        Assert.Equal(Enumerable.Range(1, Policy.MaxAttempts), failed.Attempts.Select(a => a.Number));
    }

    [Fact]
    public void Raising_the_same_facts_again_or_after_a_restart_adds_no_delivery()
    {
        Subscribe("http://127.0.0.1:9/unused", [NotificationTypes.OutcomeBilled, NotificationTypes.CreditsLow, NotificationTypes.CreditsExhausted], []);
        var ingestor = new EventIngestor(_billing, _clock);
        ingestor.Ingest("t1", EntitlementRules.Resolved("r1", "acme", "2026-01-20T00:00:00Z", "a"), Rules);
        View().Refresh(["t1"]);
        var once = _outbox.ListDeliveries("t1").Select(d => d.Id).ToList();
        Assert.Single(once);

        var restarted = View();
        restarted.Load(["t1"]);
        restarted.Refresh([]);
        restarted.Refresh([]);
        Assert.Equal(once, _outbox.ListDeliveries("t1").Select(d => d.Id));
        Assert.Equal(NotificationOutbox.DeliveryId("t1", "sub-1", JsonDocument.Parse(_outbox.ListDeliveries("t1")[0].Body).RootElement.GetProperty("id").GetString()!), once[0]);
    }

    [Fact]
    public void Credits_running_low_and_out_are_notified_once_per_grant_total()
    {
        Subscribe("http://127.0.0.1:9/unused", [NotificationTypes.CreditsLow, NotificationTypes.CreditsExhausted], []);
        new UseCases(_billing, new FixedRuleSet(Rules), _clock).GrantCredits("t1", "acme", 15m, "USD", grantId: "g1");
        var ingestor = new EventIngestor(_billing, _clock);

        // Base 10 + resolved 2 committed, verified 5 pending: 15 − 12 − 5 < 0 → exhausted.
        ingestor.Ingest("t1", EntitlementRules.Resolved("r1", "acme", "2026-01-19T00:00:00Z", "a"), Rules);
        View().Refresh(["t1"]);
        var delivery = Assert.Single(_outbox.ListDeliveries("t1"));
        Assert.Equal(NotificationTypes.CreditsExhausted, delivery.Type);
        var data = JsonDocument.Parse(delivery.Body).RootElement.GetProperty("data");
        Assert.Equal(("15.00", "12.00", "3.00", "3.00"), (data.GetProperty("granted").GetString(), data.GetProperty("committed").GetString(),
            data.GetProperty("pending").GetString(), data.GetProperty("available").GetString()));
        Assert.Single(_outbox.ListDeliveries("t1"));
    }

    [Fact]
    public void Signatures_verify_only_for_the_same_secret_body_and_a_recent_timestamp()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var header = WebhookSignature.Header(Secret, now.ToUnixTimeSeconds(), "{\"a\":1}");
        Assert.Equal("valid", ExpectedSignature(header, "{\"a\":1}"));
        Assert.True(WebhookSignature.Verify(Secret, header, "{\"a\":1}", now.AddMinutes(4), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, header, "{\"a\":2}", now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("other", header, "{\"a\":1}", now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, header, "{\"a\":1}", now.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, "garbage", "{\"a\":1}", now, TimeSpan.FromMinutes(5)));
    }
}
