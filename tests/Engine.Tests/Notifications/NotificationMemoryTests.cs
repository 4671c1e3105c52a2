using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Entitlements;
using RulesBilling.Engine.Tests.Ingestion;

using RulesBilling.Engine.Tests.Storage;

namespace RulesBilling.Engine.Tests.Notifications;

/// <summary>
/// The view raises time-driven notifications for tenants nobody queried (the worker passes them), remembers what it
/// raised only while it can still change, and still raises what late events bring.
/// </summary>
public sealed class NotificationMemoryTests : IDisposable
{
    private static readonly CompiledRuleSet Rules = EntitlementRules.Compile();

    private readonly TestClock _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryBillingStore _billing = new();
    // The outbox lives in a billing store's file, as in serve (one LiteDatabase per process).
    private readonly TempDirectory _directory = new();
    private readonly LiteDbBillingStore _outboxFile;
    private readonly LiteDbNotificationStore _outbox;

    public NotificationMemoryTests()
    {
        _outboxFile = new LiteDbBillingStore(_directory.File("notifications.db"));
        _outbox = new LiteDbNotificationStore(_outboxFile);
        _outbox.SaveSubscription(new WebhookSubscription("t1", "sub-1", "https://example.com/hook", [NotificationTypes.OutcomeBilled], "whsec_x", [], _clock.Now));
    }

    public void Dispose()
    {
        _outbox.Dispose();
        _outboxFile.Dispose();
        _directory.Dispose();
        _billing.Dispose();
    }

    private EntitlementView View() => new(_billing, _ => Rules, _clock, new NotificationOutbox(_outbox, _clock));

    private int Billed() => _outbox.ListDeliveries("t1").Count(d => d.Type == NotificationTypes.OutcomeBilled);

    [Fact]
    public void A_refresh_loads_the_tenants_it_is_given_so_nothing_waits_for_a_query()
    {
        // Ingested before this process's view existed (e.g. before a restart); the held outcome's window closes later.
        new EventIngestor(_billing, _clock).Ingest("t1", EntitlementRules.Resolved("r1", "acme", "2026-01-01T00:00:00Z", "a"), Rules);
        _clock.Now = new DateTimeOffset(2026, 1, 4, 0, 0, 0, TimeSpan.Zero);

        var view = View();
        view.Refresh([]);
        Assert.Equal(0, Billed());
        view.Refresh(["t1"]);
        // resolved (no window) and verified (its 2-day window closed).
        Assert.Equal(2, Billed());
    }

    [Fact]
    public void What_settled_is_forgotten_while_late_events_are_still_raised()
    {
        var view = View();
        var ingestor = new EventIngestor(_billing, _clock);
        for (var day = 0; day < 50; day++)
        {
            var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day);
            _clock.Now = at;
            ingestor.Ingest("t1", EntitlementRules.Resolved($"r{day}", "acme", at.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), $"T-{day}"), Rules);
            view.Refresh(["t1"]);
        }
        _clock.Now = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        view.Refresh(["t1"]);

        // 50 resolved and 50 verified outcomes were billed, yet what is remembered is only what is still open.
        Assert.Equal(100, Billed());
        Assert.InRange(view.RememberedCount, 0, 10);

        // A late event from January: older than the watermark, but new, so it is raised (once).
        ingestor.Ingest("t1", EntitlementRules.Resolved("late", "acme", "2026-01-15T12:00:00Z", "T-late"), Rules);
        view.Refresh(["t1"]);
        view.Refresh(["t1"]);
        Assert.Equal(102, Billed());
    }
}
