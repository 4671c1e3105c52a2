using System.Text.Json;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Runtime;

namespace RulesBilling.Engine.Outcomes;

/// <summary>Binds stored events to <see cref="RuleEvent"/>s with the schemas of the rule set being evaluated.</summary>
internal static class EventBinding
{
    public static BoundEvents Bind(CompiledRuleSet rules, IEnumerable<StoredEvent> events)
    {
        var bound = new List<RuleEvent>();
        var failures = new List<BindingFailure>();
        foreach (var stored in events)
        {
            if (!TryBind(rules, stored, out var e, out var failure)) continue;
            if (e is not null) bound.Add(e);
            else failures.Add(failure!);
        }

        bound.Sort(EventOrder.Compare);
        failures.Sort((a, b) => EventOrder.Compare(a.Time, a.EventId, b.Time, b.EventId));
        return new BoundEvents(bound, failures);
    }

    /// <summary>
    /// Binds one stored event: false when no rule declares its type (kept in the store, never evaluated); otherwise
    /// either <paramref name="bound"/> or, when its data does not match the schema, <paramref name="failure"/>.
    /// </summary>
    public static bool TryBind(CompiledRuleSet rules, StoredEvent stored, out RuleEvent? bound, out BindingFailure? failure)
    {
        bound = null;
        failure = null;
        // Types no rule declares cannot affect rating; they are kept in the store but not evaluated.
        if (!rules.Events.TryGetValue(stored.Type, out var schema)) return false;

        // The typed form, when it fits the current schema, gives exactly what binding the JSON would.
        if (stored.Fields is { } typed && typed.TryBind(schema, out var slots))
        {
            bound = new RuleEvent(stored.Id, stored.Source, schema.Name, stored.Subject, stored.Time.ToUniversalTime(), slots!)
            {
                Extensions = stored.Extensions,
            };
            return true;
        }

        string? error;
        if (string.IsNullOrWhiteSpace(stored.DataJson))
        {
            bound = EventBinder.TryBind(schema, stored.Id, stored.Source, stored.Subject, stored.Time, null, out error);
        }
        else
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(stored.DataJson);
            }
            catch (JsonException ex)
            {
                failure = Failure(stored, $"stored data is not valid JSON: {ex.Message}");
                return true;
            }

            // Bound while the document is alive: a RuleEvent holds converted values, never JSON, so the data
            // need not be cloned out of the document (a second copy of every event's JSON during a close).
            using (document)
            {
                bound = EventBinder.TryBind(schema, stored.Id, stored.Source, stored.Subject, stored.Time, document.RootElement, out error);
            }
        }

        if (bound is null) failure = Failure(stored, error ?? "data does not match the schema");
        else if (stored.Extensions.Count > 0)
        {
            bound = new RuleEvent(bound.Id, bound.Source, bound.Type, bound.Subject, bound.Time, bound.Fields) { Extensions = stored.Extensions };
        }
        return true;
    }

    private static BindingFailure Failure(StoredEvent e, string reason) =>
        new(e.Subject, EventRef.Of(e.Source, e.Id), e.Type, e.Time, reason);
}
