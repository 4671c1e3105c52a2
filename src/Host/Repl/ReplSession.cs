using System.Globalization;
using System.Text.Json;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Runtime;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
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
        ":feed <file.jsonl>      feed a file of CloudEvents, one per line",
        ":event {...}            set the last event without feeding it",
        ":eval <expr>            evaluate an expression against the last event",
        ":invoice <customer> [json] the running invoice of a customer, with the explanation",
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
        Report(new EventIngestor(_store, clock).Ingest(Tenant, json, _rules!));
    }

    private void Feed(string path)
    {
        if (!RulesLoaded()) return;
        if (!File.Exists(path))
        {
            output.WriteLine($"error: no such file '{path}'");
            return;
        }
        using var reader = new StreamReader(path);
        Report(new EventIngestor(_store, clock).IngestJsonLines(Tenant, reader, _rules!));
    }

    private void Report(IngestionResult result)
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
                EventStatus.Rejected => $"{(e.Line is { } l ? $"line {l}: " : "")}rejected {name}: {e.Reason}",
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
        return "no outcome: the event makes no outcome under these rules";
    }

    private Invoice? Preview(string customer, DateTimeOffset at)
    {
        try
        {
            return new BillingEngine(_store, () => _rules!, clock).Preview(Tenant, customer, at).Invoices.FirstOrDefault();
        }
        catch (BillingException)
        {
            return null;
        }
    }

    private void Invoice(string customer)
    {
        if (!RulesLoaded()) return;
        if (customer.Length == 0)
        {
            output.WriteLine("error: name the customer, e.g. :invoice cust-1 (add 'json' for the raw document)");
            return;
        }
        var parts = customer.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var asJson = parts.Length == 2 && parts[1] == "json";
        customer = parts[0];
        var events = _store.ReadEvents(Tenant, customer).ToList();
        var at = events.Count > 0 ? events.Max(e => e.Time) : clock.GetUtcNow();
        try
        {
            var preview = new BillingEngine(_store, () => _rules!, clock).Preview(Tenant, customer, at);
            foreach (var invoice in preview.Invoices) output.Write(asJson ? InvoiceJson.Serialize(invoice) + "\n" : InvoiceText.Render(invoice));
            foreach (var error in preview.Errors) output.WriteLine(error.Message);
            if (preview.Invoices.Count == 0 && preview.Errors.Count == 0) output.WriteLine($"no invoice for '{customer}'");
        }
        catch (BillingException e)
        {
            output.WriteLine($"error: {e.Message}");
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
