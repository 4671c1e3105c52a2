using System.Globalization;
using System.Text.Json;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Runtime;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;

using RulesBilling.Host.Cli;

namespace RulesBilling.Host.Repl;

/// <summary>
/// One REPL session: the loaded rules, an in-memory store of the events fed so far, the last event and the history.
/// Every command answers with text; a problem is printed as a diagnostic and the session goes on.
/// </summary>
internal sealed class ReplSession(TextWriter output, TimeProvider clock, CompileOptions? compileOptions = null)
{
    private const string Tenant = Engine.Billing.Tenant.Default;
    private readonly List<string> _history = [];
    private IReadOnlyList<string> _paths = [];
    private CompiledRuleSet? _rules;
    private InMemoryBillingStore _store = new();
    private JsonElement? _lastEvent;

    /// <summary>The dry run over the events fed so far, with the rules loaded now (they may be reloaded; the events stay).</summary>
    private DryRunSession Session => new(_rules!, clock, _store);

    public int Run(TextReader input, bool interactive)
    {
        output.WriteLine("RulesBilling REPL — :help for commands");
        while (true)
        {
            if (interactive) output.Write("rb> ");
            var line = input.ReadLine();
            if (line is null || !Execute(line)) return 0;
        }
    }

    /// <summary>Runs one input line; false when the session should end.</summary>
    public bool Execute(string line)
    {
        var text = line.Trim();
        if (text.Length == 0) return true;
        _history.Add(text);
        var space = text.IndexOf(' ');
        var (command, argument) = space < 0 ? (text, "") : (text[..space], text[(space + 1)..].Trim());
        switch (command)
        {
            case ":quit" or ":q": return false;
            case ":help": Help(); break;
            case ":load": Load(argument.Split(' ', StringSplitOptions.RemoveEmptyEntries)); break;
            case ":reload": Load(_paths); break;
            case ":reset": Reset(); break;
            case ":history": for (var i = 0; i < _history.Count; i++) output.WriteLine($"{i + 1,4}  {_history[i]}"); break;
            case ":event": SetEvent(argument); break;
            case ":eval": Eval(argument); break;
            case ":feed": Feed(argument); break;
            case ":invoice": Invoice(argument); break;
            default:
                if (text.StartsWith('{')) FeedJson(text);
                else output.WriteLine($"error: unknown command '{command}'; :help lists the commands");
                break;
        }
        return true;
    }

    private void Help() => output.WriteLine(string.Join('\n',
        ":load <files/folders>   check and load rules (replaces the loaded ones)",
        ":reload                 load the same files again",
        "{...}                   feed one CloudEvent (JSON on one line); it becomes the last event",
        ":feed <file.jsonl>      feed a file of CloudEvents, one per line; its last event becomes the last event",
        ":event {...}            set the last event without feeding it",
        ":event <id>             make a fed event (id or source/id) the last event",
        ":eval <expr>            evaluate an expression against the last event",
        ":invoice <customer> [period] [json]",
        "                        the invoice of a customer, with the explanation; period: YYYY-MM or YYYY-MM-DD",
        "                        (the period containing that day), or two days 'from to' for every period between;",
        "                        default: the period of the customer's latest event. Lists the periods with events.",
        ":reset                  forget the events fed so far",
        ":history                the commands of this session",
        ":quit                   leave"));

    private void Load(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            output.WriteLine("error: name the rule files or folders to load, e.g. :load pricing-rules/");
            return;
        }
        var compilation = RuleSetCompiler.CompilePaths(paths, compileOptions ?? CompileOptions.Default);
        if (compilation.RuleSet is null)
        {
            output.WriteLine(compilation.Render());
            output.WriteLine($"not loaded: {compilation.Diagnostics.Count(d => d.IsError)} error(s){(_rules is null ? "" : "; the previous rules stay loaded")}");
            return;
        }
        _paths = paths;
        _rules = compilation.RuleSet;
        output.WriteLine($"loaded {_rules.Events.Count} event type(s), {_rules.Outcomes.Count} outcome(s), {_rules.Contracts.Count} contract version(s)");
    }

    private void Reset()
    {
        _store.Dispose();
        _store = new InMemoryBillingStore();
        _lastEvent = null;
        output.WriteLine("events cleared");
    }

    private bool RulesLoaded()
    {
        if (_rules is not null) return true;
        output.WriteLine("error: no rules loaded; use :load <file>");
        return false;
    }

    private static JsonElement? Parse(string json, TextWriter output)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document.RootElement.Clone();
            output.WriteLine("error: an event is a JSON object");
        }
        catch (JsonException e)
        {
            output.WriteLine($"error: malformed JSON: {e.Message}");
        }
        return null;
    }

    private void SetEvent(string json)
    {
        if (json.Length > 0 && !json.StartsWith('{'))
        {
            var fed = _store.ReadEvents(Tenant).LastOrDefault(e => e.Id == json || $"{e.Source}/{e.Id}" == json);
            if (fed is null)
            {
                output.WriteLine($"error: no fed event '{json}'; give its id or source/id, or paste the event as JSON");
                return;
            }
            _lastEvent = Envelope(fed);
            output.WriteLine($"event set: {fed.Source}/{fed.Id} ({fed.Type})");
            return;
        }
        if (Parse(json, output) is { } element)
        {
            _lastEvent = element;
            output.WriteLine("event set");
        }
    }

    private void Eval(string expression)
    {
        if (!RulesLoaded()) return;
        if (_lastEvent is not { } element)
        {
            output.WriteLine("error: no event yet; paste one or use :event {...}");
            return;
        }
        var type = element.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        if (!_rules!.Events.TryGetValue(type, out var schema))
        {
            output.WriteLine($"error: the last event's type '{type}' is not declared in the rules");
            return;
        }
        var data = element.TryGetProperty("data", out var d) ? d : (JsonElement?)null;
        var bound = EventBinder.TryBind(schema, Text(element, "id"), Text(element, "source"), Text(element, "subject"),
            DateTimeOffset.TryParse(Text(element, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : clock.GetUtcNow(),
            data, out var error);
        if (bound is null)
        {
            output.WriteLine($"error: the last event does not match '{type}': {error}");
            return;
        }
        var result = RuleSetCompiler.EvaluateExpression(_rules, type, expression, bound);
        if (result.Success) output.WriteLine($"{result.Value} : {result.Type}");
        foreach (var diagnostic in result.Diagnostics) output.WriteLine(diagnostic.Render());
    }

    private void FeedJson(string json)
    {
        if (!RulesLoaded() || Parse(json, output) is not { } element) return;
        _lastEvent = element;
        Report(Session.Ingest(json));
    }

    private void Feed(string path)
    {
        if (!RulesLoaded()) return;
        if (!File.Exists(path))
        {
            output.WriteLine($"error: no such file '{path}'");
            return;
        }
        IngestionResult result;
        using (var reader = new StreamReader(path)) result = Session.IngestAll(reader);
        Report(result, path);
        // :eval then works on what was just fed, as it does after pasting one event.
        if (result.Events.LastOrDefault(e => e.Status != EventStatus.Rejected) is { Source: { } source, Id: { } id }
            && _store.ReadEvents(Tenant).FirstOrDefault(e => e.Source == source && e.Id == id) is { } last)
        {
            _lastEvent = Envelope(last);
            output.WriteLine($"last event: {last.Source}/{last.Id} ({last.Type}); :eval works on it, :event <id> picks another");
        }
    }

    /// <summary>A stored event as the CloudEvent envelope :eval reads (type, id, source, subject, time, data).</summary>
    private static JsonElement Envelope(StoredEvent e)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", "1.0");
            writer.WriteString("id", e.Id);
            writer.WriteString("source", e.Source);
            writer.WriteString("type", e.Type);
            writer.WriteString("subject", e.Subject);
            writer.WriteString("time", UtcTimestamp.Format(e.Time));
            writer.WritePropertyName("data");
            writer.WriteRawValue(e.DataJson);
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private void Report(IngestionResult result, string file = "<input>")
    {
        if (result.Error is { } error)
        {
            output.WriteLine($"error: {error}");
            return;
        }
        foreach (var e in result.Events)
        {
            var name = $"{e.Source}/{e.Id}";
            output.WriteLine(e.Status switch
            {
                EventStatus.Rejected => e.Line is null ? $"rejected {name}: {e.Reason}" : $"rejected {RejectedEventText.Format(file, e)}",
                EventStatus.Duplicate => $"duplicate {name} (already fed)",
                _ => $"accepted {name}: {Outcome(name)}",
            });
        }
        output.WriteLine($"{result.Accepted} accepted, {result.Duplicates} duplicate, {result.Rejected} rejected");
    }

    /// <summary>What the accepted event did: counted on a line, or excluded with the reason.</summary>
    private string Outcome(string eventRef)
    {
        var stored = _store.ReadEvents(Tenant).FirstOrDefault(e => $"{e.Source}/{e.Id}" == eventRef);
        if (stored is null) return "stored";
        var preview = Preview(stored.Subject, stored.Time);
        if (preview is null) return "no contract covers the customer at that time";
        foreach (var line in preview.Lines)
        {
            if (line.Events.Contains(eventRef)) return $"counted in '{line.Rule}' ({line.Description})";
            if (line.Excluded.FirstOrDefault(x => x.Id == eventRef) is { } excluded)
                return $"not counted: {excluded.Reason}{(excluded.Detail is null ? "" : " — " + excluded.Detail)}";
        }
        if (preview.Excluded.FirstOrDefault(x => x.Id == eventRef) is { } unlined)
            return $"not counted: {unlined.Reason}{(unlined.Detail is null ? "" : " — " + unlined.Detail)} (the pricing has no '{unlined.Outcome}' line)";
        return Later(stored, eventRef, preview) ?? Disqualifies(eventRef, preview) ?? "no outcome: the event makes no outcome under these rules";
    }

    /// <summary>
    /// A disqualifying event (docs/dsl-spec.md §7.8) makes no outcome of its own: it excludes the events of a key. Said
    /// with the key and how many events of the event's period it excludes.
    /// </summary>
    private static string? Disqualifies(string eventRef, Invoice eventPeriod)
    {
        var marker = $" disqualified by {eventRef} (";
        var excluded = eventPeriod.Lines.SelectMany(l => l.Excluded)
            .Where(x => x.Reason == ExclusionReasons.Disqualified && x.Detail is not null && x.Detail.Contains(marker, StringComparison.Ordinal))
            .ToList();
        if (excluded.Count == 0) return null;
        var keys = excluded.Select(x => x.Detail![..x.Detail!.IndexOf(marker, StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal);
        return $"disqualifies {string.Join(", ", keys)}: {excluded.Count} event(s) of this period excluded as disqualified";
    }

    /// <summary>
    /// An event whose outcome is billed in a later period than the event's own: a hold (validation window) that
    /// ends after the period does. Said with the day it becomes billable and the line that will count it.
    /// </summary>
    private string? Later(StoredEvent stored, string eventRef, Invoice eventPeriod)
    {
        var outcome = Session.Activity(stored.Subject).Outcomes.FirstOrDefault(o => $"{o.EventSource}/{o.EventId}" == eventRef);
        if (outcome is not { State: OutcomeState.Billable } || outcome.BillableAt < eventPeriod.PeriodTo) return null;
        var hold = _rules!.Outcomes.FirstOrDefault(o => o.Name == outcome.Outcome)?.Hold;
        var window = hold is null ? "" : $" ({outcome.Outcome} is held {Duration(hold.Window)} for reversal)";
        var billed = Preview(stored.Subject, outcome.BillableAt);
        var line = billed?.Lines.FirstOrDefault(l => l.Events.Contains(eventRef));
        var where = billed is null ? "" : $", in the period {Day(billed.PeriodFrom)} → {Day(billed.PeriodTo)}{(line is null ? "" : $" under '{line.Rule}'")}";
        return $"pending: in its validation window{window}; billable on {UtcTimestamp.Format(outcome.BillableAt)}{where}";
    }

    private static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 && span.Ticks % TimeSpan.TicksPerDay == 0 ? $"{span.TotalDays:0}d"
        : span.Ticks % TimeSpan.TicksPerHour == 0 ? $"{span.TotalHours:0}h" : span.ToString("c", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset t) => UtcTimestamp.Format(t)[..10];

    private Invoice? Preview(string customer, DateTimeOffset at)
    {
        try
        {
            return Session.Preview(customer, at).Invoices.FirstOrDefault();
        }
        catch (BillingException)
        {
            return null;
        }
    }

    private void Invoice(string argument)
    {
        if (!RulesLoaded()) return;
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            output.WriteLine("error: name the customer, e.g. :invoice cust-1 (add a period such as 2026-02, or 'json' for the raw document)");
            return;
        }
        var customer = parts[0];
        var asJson = false;
        var days = new List<DateTimeOffset>();
        foreach (var part in parts.Skip(1))
        {
            if (part == "json") asJson = true;
            else if (PeriodDay(part) is { } day) days.Add(day);
            else
            {
                output.WriteLine($"error: unknown argument '{part}' for :invoice; expected a period (YYYY-MM, or YYYY-MM-DD for the period containing that day), two days 'from to', or json");
                return;
            }
        }
        if (days.Count > 2 || (days.Count == 2 && days[1] < days[0]))
        {
            output.WriteLine(days.Count > 2 ? "error: :invoice takes one period or two days 'from to'" : "error: the 'to' day is before the 'from' day");
            return;
        }

        var events = _store.ReadEvents(Tenant, customer).ToList();
        var activity = Session.Activity(customer);
        var withEvents = events.Count == 0 ? []
            : activity.PeriodsBetween(events.Min(e => e.Time), events.Max(e => e.Time).AddTicks(1));
        IReadOnlyList<DateTimeOffset> instants = days.Count switch
        {
            0 => [events.Count > 0 ? events.Max(e => e.Time) : clock.GetUtcNow()],
            1 => [days[0]],
            _ => activity.PeriodsBetween(days[0], EndOfMonthOrDay(parts, days[1])).Select(p => p.Period.From).ToList(),
        };
        try
        {
            var shown = 0;
            foreach (var at in instants)
            {
                var preview = Session.Preview(customer, at);
                foreach (var invoice in preview.Invoices) output.Write(asJson ? InvoiceJson.Serialize(invoice) + "\n" : InvoiceText.Render(invoice));
                foreach (var error in preview.Errors) output.WriteLine(error.Message);
                shown += preview.Invoices.Count + preview.Errors.Count;
            }
            if (shown == 0) output.WriteLine($"no invoice for '{customer}'{(days.Count == 0 ? "" : " in that range")}");
        }
        catch (BillingException e)
        {
            output.WriteLine($"error: {e.Message}");
        }
        if (!asJson)
        {
            output.WriteLine(withEvents.Count == 0
                ? $"no period of '{customer}' has events yet"
                : $"periods with events: {string.Join(", ", withEvents.Select(p => $"{Day(p.Period.From)} → {Day(p.Period.To)}"))} (:invoice {customer} <YYYY-MM> for one)");
        }
    }

    /// <summary>YYYY-MM (its first day) or YYYY-MM-DD, as a UTC midnight; null for anything else.</summary>
    private static DateTimeOffset? PeriodDay(string text)
    {
        var formats = new[] { "yyyy-MM", "yyyy-MM-dd" };
        return DateOnly.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : null;
    }

    /// <summary>The exclusive end of a 'to' argument: the day after a day, the month after a month.</summary>
    private static DateTimeOffset EndOfMonthOrDay(string[] parts, DateTimeOffset to) =>
        parts.Any(p => p.Length == 7 && PeriodDay(p) == to) ? to.AddMonths(1) : to.AddDays(1);

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
