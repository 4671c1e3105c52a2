using System.Globalization;
using System.Text;
using System.Text.Json;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Entitlements;

/// <summary>
/// Real-time entitlements and balances, kept in memory. A tenant's events are read from the store once (on first
/// use after start-up); after that the view follows ingestion through <see cref="IIngestionListener"/> and never
/// rescans the store. Per customer it caches the detected outcomes until the customer's next event (or a new rule
/// set), so a query only sums over that customer's outcomes. Answers equal a full recomputation from the store
/// (<see cref="Recompute"/>). With a publisher it also raises outcome, threshold and credit notifications (invoice
/// notifications are raised by <see cref="InvoiceNotifications"/> when they happen); their ids are derived from what
/// happened, so raising one twice is harmless: the outbox stores it once.
/// <para>
/// Memory: what was raised is remembered per customer only while it can still change (<see cref="RaisedNotifications"/>):
/// an outcome until its validation window closes, a threshold until its window resets, a credit state until the
/// grants change. A pass that published everything moves the customer's watermark to its start and forgets what
/// settled before it; later passes skip those facts, except those of newly arrived events (a late event or reversal).
/// </para>
/// </summary>
public sealed class EntitlementView : IIngestionListener
{
    private readonly object _lock = new();
    private readonly IBillingStore _store;
    private readonly Func<string, CompiledRuleSet?> _rules;
    private readonly TimeProvider _time;
    private readonly INotificationPublisher? _publisher;
    private readonly Func<string, string, IReadOnlyList<ContractAssignment>> _assignments;
    private readonly Dictionary<string, Dictionary<string, CustomerState>> _tenants = new(StringComparer.Ordinal);

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

    public void EventsAccepted(string tenant, IReadOnlyList<StoredEvent> events)
    {
        lock (_lock)
        {
            var customers = Load(tenant);
            foreach (var e in events)
            {
                if (!customers.TryGetValue(e.Subject, out var state)) customers[e.Subject] = state = new CustomerState();
                state.Add(e);
            }
            // Raising re-detects each touched customer's outcomes and reads its credits: skip it all for a tenant
            // nobody listens to, or it would serialize every ingestion request behind work whose result is unused.
            // (A first subscription receives the facts still open at that time once, as it would anyway.)
            if (_publisher is null || _rules(tenant) is not { } rules || !_publisher.HasSubscribers(tenant)) return;
            var arrived = events.Select(e => EventRef.Of(e.Source, e.Id)).ToHashSet(StringComparer.Ordinal);
            var levels = _publisher.Levels(tenant);
            foreach (var customer in events.Select(e => e.Subject).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                RaiseCustomer(tenant, customer, rules, customers[customer], levels, arrived);
            }
        }
    }

    /// <summary>Reads the tenant's events now instead of on first use (start-up warm-up).</summary>
    public void Load(IEnumerable<string> tenants)
    {
        lock (_lock)
        {
            foreach (var tenant in tenants) Load(tenant);
        }
    }

    /// <param name="at">The instant to evaluate (grants in force then, usage of the reset window containing it); default now.</param>
    public CustomerEntitlements Entitlements(string tenant, string customer, DateTimeOffset? at = null)
    {
        lock (_lock)
        {
            var rules = Rules(tenant);
            return EntitlementCalculator.Compute(Activity(tenant, customer, rules), at ?? _time.GetUtcNow(), _assignments(tenant, customer));
        }
    }

    /// <summary>One feature, or null when the rule set declares no such feature.</summary>
    public FeatureEntitlement? Entitlement(string tenant, string customer, string feature, DateTimeOffset? at = null) =>
        Entitlements(tenant, customer, at).Features.FirstOrDefault(f => f.Feature == feature);

    /// <summary>Whether <paramref name="quantity"/> more units may be used now; null when there is no such feature.</summary>
    public UsageCheck? Check(string tenant, string customer, string feature, decimal quantity) =>
        Entitlement(tenant, customer, feature) is { } entitlement ? EntitlementCalculator.Check(entitlement, quantity) : null;

    public CustomerBalance Balance(string tenant, string customer)
    {
        lock (_lock)
        {
            var rules = Rules(tenant);
            return BalanceCalculator.Compute(tenant, Activity(tenant, customer, rules),
                _store.ListGrants(tenant, customer), _store.ReadLedger(tenant, customer), _time.GetUtcNow(), _assignments(tenant, customer));
        }
    }

    /// <summary>
    /// Raises the notifications that time alone can cause — validation windows closing, windows resetting — for
    /// <paramref name="tenants"/> (read from the store first if they were not yet: the worker passes every tenant with
    /// a subscription, so nothing waits for someone to query) and every tenant loaded so far.
    /// </summary>
    public void Refresh(IEnumerable<string> tenants)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        if (_publisher is null) return;
        lock (_lock)
        {
            foreach (var tenant in tenants) Load(tenant);
            foreach (var (tenant, customers) in _tenants.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                if (_rules(tenant) is not { } rules || !_publisher.HasSubscribers(tenant)) continue;
                var levels = _publisher.Levels(tenant);
                foreach (var (customer, state) in customers.OrderBy(c => c.Key, StringComparer.Ordinal))
                {
                    RaiseCustomer(tenant, customer, rules, state, levels, NoEvents);
                }
            }
        }
    }

    /// <summary>How many raised notification ids the view remembers (bounded by what is still open; see the class remarks).</summary>
    internal int RememberedCount
    {
        get
        {
            lock (_lock) return _tenants.Values.SelectMany(c => c.Values).Sum(state => state.Raised.Count);
        }
    }

    /// <summary>The entitlements computed from scratch from the store: what the view must always equal.</summary>
    public static CustomerEntitlements Recompute(
        CompiledRuleSet rules, IBillingStore store, string tenant, string customer, DateTimeOffset at, IReadOnlyList<ContractAssignment>? assignments = null) =>
        EntitlementCalculator.Compute(CustomerActivity.From(rules, customer, store.ReadEvents(tenant, customer)), at, assignments);

    /// <summary>The balance computed from scratch from the store.</summary>
    public static CustomerBalance RecomputeBalance(CompiledRuleSet rules, IBillingStore store, string tenant, string customer, DateTimeOffset at) =>
        BalanceCalculator.Compute(tenant, CustomerActivity.From(rules, customer, store.ReadEvents(tenant, customer)),
            store.ListGrants(tenant, customer), store.ReadLedger(tenant, customer), at);

    private CompiledRuleSet Rules(string tenant) =>
        _rules(tenant) ?? throw new BillingException($"tenant '{tenant}' has no rule set; upload one first");

    private Dictionary<string, CustomerState> Load(string tenant)
    {
        if (_tenants.TryGetValue(tenant, out var customers)) return customers;
        customers = new Dictionary<string, CustomerState>(StringComparer.Ordinal);
        foreach (var e in _store.ReadEvents(tenant))
        {
            if (!customers.TryGetValue(e.Subject, out var state)) customers[e.Subject] = state = new CustomerState();
            state.Add(e);
        }
        _tenants[tenant] = customers;
        return customers;
    }

        private CustomerActivity Activity(string tenant, string customer, CompiledRuleSet rules)
    {
        var customers = Load(tenant);
        if (!customers.TryGetValue(customer, out var state)) customers[customer] = state = new CustomerState();
        return state.Activity(rules, customer);
    }

    // ---- notifications

    private static readonly IReadOnlySet<string> NoEvents = new HashSet<string>();

    /// <summary>
    /// Raises the customer's notifications; <paramref name="arrived"/> are the events just accepted (their outcomes are
    /// raised even when older than the watermark). The watermark moves only when every publish succeeded, so a
    /// failure is raised again on the next pass.
    /// </summary>
    private void RaiseCustomer(
        string tenant, string customer, CompiledRuleSet rules, CustomerState state, NotificationLevels levels, IReadOnlySet<string> arrived)
    {
        var now = _time.GetUtcNow();
        var raised = state.Raised;
        raised.Follow(rules.Hash);
        var clean = true;
        var activity = state.Activity(rules, customer);
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
        var balance = BalanceCalculator.Compute(tenant, activity, grants, _store.ReadLedger(tenant, customer), now, _assignments(tenant, customer));
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

    /// <summary>One customer's events (deduplicated by source and id) and the activity derived from them.</summary>
    private sealed class CustomerState
    {
        private readonly Dictionary<string, StoredEvent> _events = new(StringComparer.Ordinal);
        private CustomerActivity? _activity;

        public RaisedNotifications Raised { get; } = new();

        public void Add(StoredEvent e)
        {
            if (_events.TryAdd(EventRef.Of(e.Source, e.Id), e)) _activity = null;
        }

        public CustomerActivity Activity(CompiledRuleSet rules, string customer)
        {
            if (_activity is null || _activity.RulesHash != rules.Hash) _activity = CustomerActivity.From(rules, customer, _events.Values);
            return _activity;
        }
    }
}
