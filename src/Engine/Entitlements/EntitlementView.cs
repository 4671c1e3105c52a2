using System.Globalization;
using System.Text;
using System.Text.Json;
using RulesBilling.Dsl.Model;
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
/// (<see cref="Recompute"/>). With a publisher it also raises outcome, threshold, credit and invoice notifications;
/// their ids are derived from what happened, so raising one twice is harmless.
/// </summary>
public sealed class EntitlementView : IIngestionListener
{
    private readonly object _lock = new();
    private readonly IBillingStore _store;
    private readonly Func<string, CompiledRuleSet?> _rules;
    private readonly TimeProvider _time;
    private readonly INotificationPublisher? _publisher;
    private readonly EntitlementNotificationOptions _options;
    private readonly Dictionary<string, Dictionary<string, CustomerState>> _tenants = new(StringComparer.Ordinal);
    private readonly HashSet<string> _published = new(StringComparer.Ordinal);

    /// <param name="rules">The rule set in force for a tenant, or null when it has none.</param>
    public EntitlementView(
        IBillingStore store, Func<string, CompiledRuleSet?> rules, TimeProvider time,
        INotificationPublisher? publisher = null, EntitlementNotificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _rules = rules;
        _time = time;
        _publisher = publisher;
        _options = options ?? EntitlementNotificationOptions.Default;
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
            if (_publisher is null || _rules(tenant) is not { } rules) return;
            foreach (var customer in events.Select(e => e.Subject).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                RaiseCustomer(tenant, customer, rules, customers[customer]);
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

    public CustomerEntitlements Entitlements(string tenant, string customer)
    {
        lock (_lock)
        {
            var rules = Rules(tenant);
            return EntitlementCalculator.Compute(rules, Activity(tenant, customer, rules), customer, _time.GetUtcNow());
        }
    }

    /// <summary>One feature, or null when the rule set declares no such feature.</summary>
    public FeatureEntitlement? Entitlement(string tenant, string customer, string feature) =>
        Entitlements(tenant, customer).Features.FirstOrDefault(f => f.Feature == feature);

    /// <summary>Whether <paramref name="quantity"/> more units may be used now; null when there is no such feature.</summary>
    public UsageCheck? Check(string tenant, string customer, string feature, decimal quantity) =>
        Entitlement(tenant, customer, feature) is { } entitlement ? EntitlementCalculator.Check(entitlement, quantity) : null;

    public CustomerBalance Balance(string tenant, string customer)
    {
        lock (_lock)
        {
            var rules = Rules(tenant);
            return BalanceCalculator.Compute(tenant, rules, Activity(tenant, customer, rules), customer,
                _store.ListGrants(tenant, customer), _store.ReadLedger(tenant, customer), _time.GetUtcNow());
        }
    }

    /// <summary>
    /// Raises the notifications that time alone can cause — validation windows closing, windows resetting, invoices
    /// finalized and guards triggered since the last refresh — for every tenant loaded so far.
    /// </summary>
    public void Refresh()
    {
        if (_publisher is null) return;
        lock (_lock)
        {
            foreach (var (tenant, customers) in _tenants.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                if (_rules(tenant) is not { } rules) continue;
                foreach (var (customer, state) in customers.OrderBy(c => c.Key, StringComparer.Ordinal)) RaiseCustomer(tenant, customer, rules, state);
                RaiseInvoices(tenant);
            }
        }
    }

    /// <summary>The entitlements computed from scratch from the store: what the view must always equal.</summary>
    public static CustomerEntitlements Recompute(CompiledRuleSet rules, IBillingStore store, string tenant, string customer, DateTimeOffset at) =>
        EntitlementCalculator.Compute(rules, DetectedActivity.From(rules, store.ReadEvents(tenant, customer)), customer, at);

    /// <summary>The balance computed from scratch from the store.</summary>
    public static CustomerBalance RecomputeBalance(CompiledRuleSet rules, IBillingStore store, string tenant, string customer, DateTimeOffset at) =>
        BalanceCalculator.Compute(tenant, rules, DetectedActivity.From(rules, store.ReadEvents(tenant, customer)), customer,
            store.ListGrants(tenant, customer), store.ReadLedger(tenant, customer), at);

    /// <summary>The entitlements of a dry run: events in a throw-away store, no notifications.</summary>
    public static CustomerEntitlements DryRun(CompiledRuleSet rules, IEnumerable<StoredEvent> events, string customer, DateTimeOffset at) =>
        EntitlementCalculator.Compute(rules, DetectedActivity.From(rules, events.Where(e => e.Subject == customer)), customer, at);

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

    private DetectedActivity Activity(string tenant, string customer, CompiledRuleSet rules)
    {
        var customers = Load(tenant);
        if (!customers.TryGetValue(customer, out var state)) customers[customer] = state = new CustomerState();
        return state.Activity(rules);
    }

    // ---- notifications

    private void RaiseCustomer(string tenant, string customer, CompiledRuleSet rules, CustomerState state)
    {
        var now = _time.GetUtcNow();
        var activity = state.Activity(rules);
        foreach (var o in activity.Detection.Outcomes.Where(o => o.Customer == customer))
        {
            var type = o.State switch
            {
                OutcomeState.Reversed => NotificationTypes.OutcomeReversed,
                OutcomeState.Billable when !DetectedActivity.IsPending(rules, o, now) => NotificationTypes.OutcomeBilled,
                _ => null,
            };
            if (type is null) continue;
            Raise(new Notification(tenant, Id(tenant, type, customer, o.Outcome, o.Key, EventRef.Of(o.EventSource, o.EventId)), type, customer,
                o.State == OutcomeState.Reversed ? o.EventTime : o.BillableAt,
                Json(w =>
                {
                    w.WriteString("outcome", o.Outcome);
                    w.WriteString("key", o.Key);
                    w.WriteString("eventId", EventRef.Of(o.EventSource, o.EventId));
                    w.WriteString("eventTime", UtcTimestamp.Format(o.EventTime));
                    w.WriteString("billableAt", UtcTimestamp.Format(o.BillableAt));
                    w.WriteString("quantity", Text(o.Quantity));
                    if (o.ReversedByEventId is { } by) w.WriteString("reversedBy", by);
                })));
        }

        foreach (var f in EntitlementCalculator.Compute(rules, activity, customer, now).Features)
        {
            if (f is not { Usage: { } usage, Limit: { } limit and > 0m, WindowStart: { } from, ResetsAt: { } to }) continue;
            foreach (var percent in _options.ThresholdPercents.Where(p => usage * 100m >= limit * p))
            {
                Raise(new Notification(tenant,
                    Id(tenant, NotificationTypes.EntitlementThreshold, customer, f.Feature, UtcTimestamp.Format(from), percent.ToString(CultureInfo.InvariantCulture)),
                    NotificationTypes.EntitlementThreshold, customer, now,
                    Json(w =>
                    {
                        w.WriteString("feature", f.Feature);
                        w.WriteNumber("percent", percent);
                        w.WriteString("usage", Text(usage));
                        w.WriteString("limit", Text(limit));
                        w.WriteString("limitMode", f.LimitMode);
                        w.WriteString("windowStart", UtcTimestamp.Format(from));
                        w.WriteString("resetsAt", UtcTimestamp.Format(to));
                    })) { ThresholdPercent = percent });
            }
        }

        var grants = _store.ListGrants(tenant, customer);
        if (grants.Count == 0) return;
        var balance = BalanceCalculator.Compute(tenant, rules, activity, customer, grants, _store.ReadLedger(tenant, customer), now);
        foreach (var b in balance.Balances)
        {
            var total = grants.Where(g => g.Currency == b.Currency && (g.ExpiresAt is null || g.ExpiresAt > now)).Sum(g => g.Amount);
            if (total <= 0m) continue;
            var type = b.AvailableAfterPending <= 0m ? NotificationTypes.CreditsExhausted
                : b.AvailableAfterPending * 100m < total * _options.CreditsLowPercent ? NotificationTypes.CreditsLow
                : null;
            if (type is null) continue;
            // Keyed by the total granted: a top-up makes the next low/exhausted state a new notification.
            Raise(new Notification(tenant, Id(tenant, type, customer, b.Currency, Text(total)), type, customer, now,
                Json(w =>
                {
                    w.WriteString("currency", b.Currency);
                    w.WriteString("granted", Text(b.Granted));
                    w.WriteString("committed", Text(b.Committed));
                    w.WriteString("pending", Text(b.Pending));
                    w.WriteString("available", Text(b.Available));
                    w.WriteString("availableAfterPending", Text(b.AvailableAfterPending));
                })));
        }
    }

    private void RaiseInvoices(string tenant)
    {
        foreach (var invoice in _store.ListInvoices(tenant))
        {
            if (invoice is { Kind: InvoiceKind.Invoice, Status: InvoiceStatus.Finalized })
            {
                Raise(new Notification(tenant, Id(tenant, NotificationTypes.InvoiceFinalized, invoice.Id), NotificationTypes.InvoiceFinalized,
                    invoice.Customer, invoice.PeriodTo, Json(w =>
                    {
                        w.WriteString("invoiceId", invoice.Id);
                        w.WriteString("number", invoice.Number);
                        w.WriteString("currency", invoice.Currency);
                        w.WriteString("total", Text(invoice.Total));
                        w.WriteString("periodFrom", UtcTimestamp.Format(invoice.PeriodFrom));
                        w.WriteString("periodTo", UtcTimestamp.Format(invoice.PeriodTo));
                    })));
            }
            if (invoice.Status == InvoiceStatus.Void) continue;
            foreach (var guard in invoice.Guards.Where(g => g.Triggered))
            {
                Raise(new Notification(tenant, Id(tenant, NotificationTypes.GuardTriggered, invoice.Id, guard.Guard), NotificationTypes.GuardTriggered,
                    invoice.Customer, invoice.PeriodTo, Json(w =>
                    {
                        w.WriteString("invoiceId", invoice.Id);
                        w.WriteString("guard", guard.Guard);
                        w.WriteString("action", guard.Action);
                        w.WriteString("condition", guard.Condition);
                        w.WriteString("detail", guard.Detail);
                    })));
            }
        }
    }

    private void Raise(Notification notification)
    {
        var key = notification.Tenant + "\u001f" + notification.Id;
        if (!_published.Add(key)) return;
        try
        {
            _publisher!.Publish(notification);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or LiteDB.LiteException)
        {
            // Not marked as published, so the next refresh raises it again.
            _published.Remove(key);
            LastPublishError = $"{notification.Type} {notification.Id}: {ex.Message}";
        }
    }

    private static string Id(string tenant, params string[] parts) => DeterministicId.For("ntf", [tenant, .. parts]);

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One customer's events (deduplicated by source and id) and the activity derived from them.</summary>
    private sealed class CustomerState
    {
        private readonly Dictionary<string, StoredEvent> _events = new(StringComparer.Ordinal);
        private DetectedActivity? _activity;

        public void Add(StoredEvent e)
        {
            if (_events.TryAdd(EventRef.Of(e.Source, e.Id), e)) _activity = null;
        }

        public DetectedActivity Activity(CompiledRuleSet rules)
        {
            if (_activity is null || _activity.RulesHash != rules.Hash) _activity = DetectedActivity.From(rules, _events.Values);
            return _activity;
        }
    }
}
