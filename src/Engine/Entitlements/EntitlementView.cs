using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Entitlements;

/// <summary>
/// Real-time entitlements and balances read from the store, so every node answers from the same data: an event is
/// visible here once the node that accepted it acknowledged it. Per customer the detected activity is cached until the
/// customer's outcome-state change version (written in the append transaction, see <see cref="StoredOutcomes"/>) or
/// the rule set moves; the outcomes come from the stored outcome state, not from a per-node copy of the events.
/// Answers equal a full recomputation from the store (<see cref="Recompute"/>).
/// <para>
/// Notifications are raised by <see cref="Refresh"/>, the background worker's pass, never by the ingestion request:
/// per tenant it follows the store's change feed from its watermark, re-raises the customers that changed (their
/// changed key groups' events count as new even when older than what settled: a late event or reversal), and raises
/// what time alone causes (validation windows closing, windows resetting) for the rest. There is no lock across
/// tenants or with ingestion; passes are serialized with each other only. Notification ids derive from what
/// happened, so two nodes raising the same fact is harmless: the outbox stores it once.
/// </para>
/// <para>
/// Memory: what was raised is remembered per customer only while it can still change (<see cref="RaisedNotifications"/>):
/// an outcome until its validation window closes, a threshold until its window resets, a credit state until the
/// grants change. A pass that published everything moves the customer's watermark to its start and forgets what
/// settled before it.
/// </para>
/// </summary>
public sealed class EntitlementView
{
    private readonly object _passLock = new();
    private readonly IBillingStore _store;
    private readonly Func<string, CompiledRuleSet?> _rules;
    private readonly TimeProvider _time;
    private readonly INotificationPublisher? _publisher;
    private readonly Func<string, string, IReadOnlyList<ContractAssignment>> _assignments;
    private readonly ConcurrentDictionary<(string Tenant, string Customer), CachedActivity> _activities = new();
    // Worker-only state (under _passLock): per tenant the change version read up to, and what was raised per customer.
    private readonly Dictionary<string, TenantPass> _passes = new(StringComparer.Ordinal);

    /// <param name="rules">The rule set in force for a tenant, or null when it has none.</param>
    /// <param name="assignments">
    /// The contract assignments of (tenant, customer), as the billing engine is given them, so grants, limits and reset
    /// windows follow the contract the customer is billed under. None when omitted.
    /// </param>
    public EntitlementView(
        IBillingStore store, Func<string, CompiledRuleSet?> rules, TimeProvider time, INotificationPublisher? publisher = null,
        Func<string, string, IReadOnlyList<ContractAssignment>>? assignments = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _rules = rules;
        _time = time;
        _publisher = publisher;
        _assignments = assignments ?? (static (_, _) => []);
    }

    /// <summary>The last publishing failure (the notification is raised again on the next <see cref="Refresh"/>).</summary>
    public string? LastPublishError { get; private set; }

    /// <summary>Starts following the tenants' changes now (start-up warm-up): the next pass raises what is open for them.</summary>
    public void Load(IEnumerable<string> tenants)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        lock (_passLock)
        {
            foreach (var tenant in tenants) Pass(tenant);
        }
    }

    /// <param name="at">The instant to evaluate (grants in force then, usage of the reset window containing it); default now.</param>
    public CustomerEntitlements Entitlements(string tenant, string customer, DateTimeOffset? at = null)
    {
        var rules = Rules(tenant);
        return EntitlementCalculator.Compute(Activity(tenant, customer, rules), at ?? _time.GetUtcNow(), _assignments(tenant, customer));
    }

    /// <summary>One feature, or null when the rule set declares no such feature.</summary>
    public FeatureEntitlement? Entitlement(string tenant, string customer, string feature, DateTimeOffset? at = null) =>
        Entitlements(tenant, customer, at).Features.FirstOrDefault(f => f.Feature == feature);

    /// <summary>Whether <paramref name="quantity"/> more units may be used now; null when there is no such feature.</summary>
    public UsageCheck? Check(string tenant, string customer, string feature, decimal quantity) =>
        Entitlement(tenant, customer, feature) is { } entitlement ? EntitlementCalculator.Check(entitlement, quantity) : null;

    public CustomerBalance Balance(string tenant, string customer)
    {
        var rules = Rules(tenant);
        return BalanceCalculator.Compute(tenant, Activity(tenant, customer, rules),
            _store.ListGrants(tenant, customer), _store.ReadLedger(tenant, customer), _time.GetUtcNow(), _assignments(tenant, customer),
            IssuedInvoices.Of(_store, tenant, customer));
    }

    /// <summary>
    /// The worker's pass: for <paramref name="tenants"/> (the worker passes every tenant with a subscription) and every
    /// tenant followed so far, raises the notifications of the customers whose activity changed since the last pass
    /// (read from the store's change feed, so events accepted on any node count) and those that time alone causes
    /// for the others: validation windows closing, windows resetting.
    /// </summary>
    public void Refresh(IEnumerable<string> tenants)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        if (_publisher is null) return;
        lock (_passLock)
        {
            foreach (var tenant in tenants) Pass(tenant);
            foreach (var (tenant, pass) in _passes.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                var rules = _rules(tenant);
                // Read the feed even when nobody listens: a first subscription receives the facts still open at
                // that time once, not every change since the process started.
                var arrived = ReadChanges(tenant, pass, rules);
                if (rules is null || !_publisher.HasSubscribers(tenant)) continue;
                var levels = _publisher.Levels(tenant);
                foreach (var customer in pass.Customers.Keys.Order(StringComparer.Ordinal).ToList())
                {
                    RaiseCustomer(tenant, customer, rules, pass.Customers[customer], levels, arrived.GetValueOrDefault(customer) ?? NoEvents,
                        unchanged: !arrived.ContainsKey(customer));
                }
            }
        }
    }

    /// <summary>How many raised notification ids the view remembers (bounded by what is still open; see the class remarks).</summary>
    internal int RememberedCount
    {
        get
        {
            lock (_passLock) return _passes.Values.SelectMany(p => p.Customers.Values).Sum(raised => raised.Count);
        }
    }

    /// <summary>The entitlements computed from scratch from the store: what the view must always equal.</summary>
    public static CustomerEntitlements Recompute(
        CompiledRuleSet rules, IBillingStore store, string tenant, string customer, DateTimeOffset at, IReadOnlyList<ContractAssignment>? assignments = null) =>
        EntitlementCalculator.Compute(CustomerActivity.From(rules, customer, store.ReadEvents(tenant, customer)), at, assignments);

    /// <summary>The balance computed from scratch from the store.</summary>
    public static CustomerBalance RecomputeBalance(CompiledRuleSet rules, IBillingStore store, string tenant, string customer, DateTimeOffset at) =>
        BalanceCalculator.Compute(tenant, CustomerActivity.From(rules, customer, store.ReadEvents(tenant, customer)),
            store.ListGrants(tenant, customer), store.ReadLedger(tenant, customer), at, issued: IssuedInvoices.Of(store, tenant, customer));

    private CompiledRuleSet Rules(string tenant) =>
        _rules(tenant) ?? throw new BillingException($"tenant '{tenant}' has no rule set; upload one first");

    /// <summary>
    /// The customer's activity from the store: cached while the customer's change version and the rule set stay
    /// the same (one indexed look-up per query), re-read otherwise.
    /// </summary>
    /// <param name="unchanged">The caller knows from the change feed that the customer did not change since it was cached.</param>
    private CustomerActivity Activity(string tenant, string customer, CompiledRuleSet rules, bool unchanged = false)
    {
        if (unchanged && _activities.TryGetValue((tenant, customer), out var known) && known.Activity.RulesHash == rules.Hash) return known.Activity;
        var version = StoredOutcomes.CustomerVersion(_store, tenant, customer);
        if (version is not null && _activities.TryGetValue((tenant, customer), out var cached)
            && cached.Version == version && cached.Activity.RulesHash == rules.Hash)
        {
            return cached.Activity;
        }

        var activity = CustomerActivity.From(rules, customer, EventBinding.Bind(rules, _store.ReadEvents(tenant, customer)),
            StoredOutcomes.Detect(_store, tenant, customer, rules));
        // The version read before the events: a change in between makes the entry stale, never wrongly fresh.
        if (version is not null) _activities[(tenant, customer)] = new CachedActivity(version.Value, activity);
        return activity;
    }

    private TenantPass Pass(string tenant)
    {
        if (_passes.TryGetValue(tenant, out var pass)) return pass;
        // Nothing settled yet, so the first pass looks at every customer: the feed can start at its head.
        if (_rules(tenant) is { } rules) StoredOutcomes.Prepare(_store, tenant, rules);
        pass = new TenantPass { Version = StoredOutcomes.TenantVersion(_store, tenant) };
        foreach (var customer in _store.Customers(tenant)) pass.Customers[customer] = new RaisedNotifications();
        _passes[tenant] = pass;
        return pass;
    }

    /// <summary>Moves the tenant's watermark to the head of its change feed; per changed customer, the events of its changed key groups.</summary>
    private Dictionary<string, IReadOnlySet<string>> ReadChanges(string tenant, TenantPass pass, CompiledRuleSet? rules)
    {
        var arrived = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        if (rules is not null) StoredOutcomes.Prepare(_store, tenant, rules);
        if (StoredOutcomes.ChangesSince(_store, tenant, pass.Version) is not { } feed)
        {
            // A backend without a change feed: every customer, every pass, all events new (the outbox deduplicates).
            foreach (var customer in _store.Customers(tenant))
            {
                if (!pass.Customers.ContainsKey(customer)) pass.Customers[customer] = new RaisedNotifications();
            }
            return arrived;
        }
        foreach (var change in feed.Changes)
        {
            if (!pass.Customers.ContainsKey(change.Customer)) pass.Customers[change.Customer] = new RaisedNotifications();
            arrived[change.Customer] = StoredOutcomes.ChangedEvents(_store, tenant, change.Customer, pass.Version);
        }
        pass.Version = feed.Version;
        return arrived;
    }

    // ---- notifications

    private static readonly IReadOnlySet<string> NoEvents = new HashSet<string>();

    /// <summary>
    /// Raises the customer's notifications; <paramref name="arrived"/> are the events just accepted (their outcomes are
    /// raised even when older than the watermark). The watermark moves only when every publish succeeded, so a
    /// failure is raised again on the next pass.
    /// </summary>
    private void RaiseCustomer(
        string tenant, string customer, CompiledRuleSet rules, RaisedNotifications raised, NotificationLevels levels, IReadOnlySet<string> arrived,
        bool unchanged)
    {
        var now = _time.GetUtcNow();
        raised.Follow(rules.Hash);
        var clean = true;
        var activity = Activity(tenant, customer, rules, unchanged);
        foreach (var o in activity.Outcomes)
        {
            var type = o.State switch
            {
                OutcomeState.Reversed => NotificationTypes.OutcomeReversed,
                OutcomeState.Billable when activity.StateAt(o, now) == OutcomeState.Billable => NotificationTypes.OutcomeBilled,
                _ => null,
            };
            if (type is null) continue;
            var eventRef = EventRef.Of(o.EventSource, o.EventId);
            var isNew = arrived.Contains(eventRef) || (o.ReversedByEventId is { } by && arrived.Contains(by));
            if (o.BillableAt <= raised.SettledThrough && !isNew) continue;
            clean &= Raise(raised, new Notification(tenant, NotificationData.Id(tenant, type, customer, o.Outcome, o.Key, eventRef), type, customer,
                o.State == OutcomeState.Reversed ? o.EventTime : o.BillableAt,
                NotificationData.Object(w =>
                {
                    w.WriteString("outcome", o.Outcome);
                    w.WriteString("key", o.Key);
                    w.WriteString("eventId", eventRef);
                    w.WriteString("eventTime", UtcTimestamp.Format(o.EventTime));
                    w.WriteString("billableAt", UtcTimestamp.Format(o.BillableAt));
                    w.WriteString("quantity", NotificationData.Text(o.Quantity));
                    if (o.ReversedByEventId is { } reversedBy) w.WriteString("reversedBy", reversedBy);
                })), settlesAt: o.BillableAt);
        }

        foreach (var f in EntitlementCalculator.Compute(activity, now, _assignments(tenant, customer)).Features)
        {
            if (f is not { Usage: { } usage, Limit: { } limit and > 0m, WindowStart: { } from, ResetsAt: { } to }) continue;
            foreach (var percent in levels.ThresholdPercents.Where(p => usage * 100m >= limit * p))
            {
                clean &= Raise(raised, new Notification(tenant,
                    NotificationData.Id(tenant, NotificationTypes.EntitlementThreshold, customer, f.Feature, UtcTimestamp.Format(from), percent.ToString(CultureInfo.InvariantCulture)),
                    NotificationTypes.EntitlementThreshold, customer, now,
                    NotificationData.Object(w =>
                    {
                        w.WriteString("feature", f.Feature);
                        w.WriteNumber("percent", percent);
                        w.WriteString("usage", NotificationData.Text(usage));
                        w.WriteString("limit", NotificationData.Text(limit));
                        w.WriteString("limitMode", f.LimitMode);
                        w.WriteString("windowStart", UtcTimestamp.Format(from));
                        w.WriteString("resetsAt", UtcTimestamp.Format(to));
                    })) { ThresholdPercent = percent }, settlesAt: to);
            }
        }

        clean &= RaiseCredits(tenant, customer, activity, levels, raised, now);
        if (clean) raised.PassCompleted(now);
    }

    private bool RaiseCredits(
        string tenant, string customer, CustomerActivity activity, NotificationLevels levels, RaisedNotifications raised, DateTimeOffset now)
    {
        var grants = _store.ListGrants(tenant, customer);
        if (grants.Count == 0) return true;
        var clean = true;
        var balance = BalanceCalculator.Compute(tenant, activity, grants, _store.ReadLedger(tenant, customer), now, _assignments(tenant, customer),
            IssuedInvoices.Of(_store, tenant, customer));
        foreach (var b in balance.Balances)
        {
            var total = grants.Where(g => g.Currency == b.Currency && (g.ExpiresAt is null || g.ExpiresAt > now)).Sum(g => g.Amount);
            if (total <= 0m) continue;
            var data = NotificationData.Object(w =>
            {
                w.WriteString("currency", b.Currency);
                w.WriteString("granted", NotificationData.Money(b.Granted, b.Currency));
                w.WriteString("committed", NotificationData.Money(b.Committed, b.Currency));
                w.WriteString("pending", NotificationData.Money(b.Pending, b.Currency));
                w.WriteString("available", NotificationData.Money(b.Available, b.Currency));
                w.WriteString("availableAfterPending", NotificationData.Money(b.AvailableAfterPending, b.Currency));
            });
            // Keyed by the total granted: a top-up makes the next low/exhausted state a new notification.
            if (b.AvailableAfterPending <= 0m)
            {
                var type = NotificationTypes.CreditsExhausted;
                clean &= Raise(raised, new Notification(tenant, NotificationData.Id(tenant, type, customer, b.Currency, NotificationData.Text(total)),
                    type, customer, now, data), scope: $"{type}:{b.Currency}");
                continue;
            }
            foreach (var percent in levels.CreditsLowPercents.Where(p => b.AvailableAfterPending * 100m < total * p))
            {
                var type = NotificationTypes.CreditsLow;
                var level = percent.ToString(CultureInfo.InvariantCulture);
                clean &= Raise(raised, new Notification(tenant, NotificationData.Id(tenant, type, customer, b.Currency, NotificationData.Text(total), level),
                    type, customer, now, data) { CreditsLowPercent = percent }, scope: $"{type}:{b.Currency}:{level}");
            }
        }
        return clean;
    }

    /// <summary>
    /// Publishes unless already raised; remembers it until <paramref name="settlesAt"/>, or as the latest of its
    /// <paramref name="scope"/> (facts with no end in time). False when publishing failed.
    /// </summary>
    private bool Raise(RaisedNotifications raised, Notification notification, DateTimeOffset? settlesAt = null, string? scope = null)
    {
        if (raised.Contains(notification.Id, scope)) return true;
        try
        {
            _publisher!.Publish(notification);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or LiteDB.LiteException)
        {
            // Not remembered, and the watermark stays, so the next pass raises it again.
            LastPublishError = $"{notification.Type} {notification.Id}: {ex.Message}";
            return false;
        }
        raised.Remember(notification.Id, settlesAt, scope);
        return true;
    }

    private sealed record CachedActivity(long Version, CustomerActivity Activity);

    /// <summary>The worker's position in one tenant's change feed and what it raised per customer.</summary>
    private sealed class TenantPass
    {
        public long Version { get; set; }

        public Dictionary<string, RaisedNotifications> Customers { get; } = new(StringComparer.Ordinal);
    }
}
