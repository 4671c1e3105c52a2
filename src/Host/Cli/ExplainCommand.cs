using System.CommandLine;
using System.Text;
using System.Text.Json;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Features.Usage;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Cli;

/// <summary>
/// <c>rulesbilling explain</c>: why one charge is on an invoice. <c>--outcome O --key K</c> is the API's outcome
/// drill-down (<c>GET /v1/customers/{c}/outcomes/{o}/{key}</c>, same JSON) plus the invoice line that bills it;
/// <c>--line ID</c> is one invoice line with its whole explanation (every event, not the first five). The events come
/// from <c>--events</c> (a dry run, as in simulate) and/or a LiteDB file (<c>--db</c>); nothing is sent anywhere.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var rules = new Option<string[]>("--rules") { Description = "Rule file(s) or folder(s) forming the rule set.", Required = true, AllowMultipleArgumentsPerToken = true };
        var events = new Option<string?>("--events") { Description = "CloudEvents as JSON Lines (or one JSON array); '-' reads stdin." };
        var db = new Option<string?>("--db") { Description = "A LiteDB file (e.g. from simulate --db): its events are explained, with --events ingested into it first." };
        var customer = new Option<string>("--customer") { Description = "The customer (CloudEvents subject).", Required = true };
        var outcome = new Option<string?>("--outcome") { Description = "An outcome rule name; with --key." };
        var key = new Option<string?>("--key") { Description = "The outcome's key (e.g. the ticket id); with --outcome." };
        var line = new Option<string?>("--line") { Description = "An invoice line id (line_…), as simulate --format json prints it." };
        var at = new Option<string?>("--at") { Description = "The instant outcome states are evaluated at (ISO 8601); default: now." };
        var format = new Option<string>("--format") { Description = "table (for people) or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var allowScripts = ScriptSwitch.Create();

        var command = new Command("explain", "Explain one outcome (--outcome O --key K) or one invoice line (--line ID) of a customer.")
        {
            rules, events, db, customer, outcome, key, line, at, format, allowScripts,
        };
        command.SetAction(parse =>
        {
            var request = new ExplainRequest(parse.GetValue(rules)!, parse.GetValue(events), parse.GetValue(db), parse.GetValue(customer)!,
                parse.GetValue(outcome), parse.GetValue(key), parse.GetValue(line),
                CliInputs.ParseInstant(parse.GetValue(at), "--at"), parse.GetValue(format) == "json");
            return Run(request, ScriptSwitch.Options(parse.GetValue(allowScripts)), stdout, stderr);
        });
        return command;
    }

    private sealed record ExplainRequest(
        string[] Rules, string? Events, string? Db, string Customer, string? Outcome, string? Key, string? Line, DateTimeOffset? At, bool Json);

    private static int Run(ExplainRequest request, Dsl.Compilation.CompileOptions compile, TextWriter stdout, TextWriter stderr)
    {
        var byOutcome = request.Outcome is not null || request.Key is not null;
        if (byOutcome == (request.Line is not null))
            throw new CliException("explain needs either --outcome and --key, or --line", CliApp.UsageError);
        if (byOutcome && (request.Outcome is null || request.Key is null))
            throw new CliException(request.Outcome is null ? "--key needs --outcome" : "--outcome needs --key", CliApp.UsageError);
        if (request.Events is null && request.Db is null)
            throw new CliException("explain needs the events: --events FILE (a dry run) and/or --db FILE (a LiteDB store)", CliApp.UsageError);
        if (request.Db is not null && request.Events is null && !File.Exists(request.Db))
            throw new CliException($"LiteDB file '{request.Db}' does not exist");

        var ruleSet = RuleLoading.Load(request.Rules, stderr, compile);
        using var store = request.Db is null ? null : new LiteDbBillingStore(request.Db);
        using var session = new DryRunSession(ruleSet, TimeProvider.System, store);
        if (request.Events is not null)
        {
            using var reader = CliInputs.OpenEvents(request.Events);
            var ingestion = session.IngestAll(reader);
            if (!ingestion.Succeeded) throw new CliException(ingestion.Error!);
        }

        SimulationResult simulation;
        try
        {
            simulation = session.Simulate(null, null, request.Customer);
        }
        catch (BillingException e)
        {
            throw new CliException(e.Message);
        }
        return byOutcome
            ? ExplainOutcome(session, simulation, request, stdout)
            : ExplainLine(simulation, request, stdout);
    }

    private static int ExplainOutcome(DryRunSession session, SimulationResult simulation, ExplainRequest request, TextWriter stdout)
    {
        var (outcome, key) = (request.Outcome!, request.Key!);
        if (session.Rules.Outcomes.All(o => o.Name != outcome))
        {
            var known = session.Rules.Outcomes.Select(o => o.Name).Order(StringComparer.Ordinal).ToList();
            var suggestion = Dsl.Text.NameSuggestions.DidYouMean(outcome, known);
            throw new CliException($"outcome '{outcome}' is not in the rule set{suggestion}; outcomes: {string.Join(", ", known)}");
        }
        var stored = session.Store.ReadEvents(DryRunSession.Tenant, request.Customer).ToList();
        var instances = CustomerActivity.From(session.Rules, request.Customer, stored).Instances(outcome, key, request.At ?? TimeProvider.System.GetUtcNow());
        if (instances.Count == 0)
            throw new CliException($"customer '{request.Customer}' has no '{outcome}' outcome with key '{key}'");
        var view = OutcomeEventsView.Of(request.Customer, outcome, key, instances, stored);

        // Where each instance is billed: the line that counts its event, if any.
        var lines = view.Instances.Select(i => simulation.Invoices
            .SelectMany(inv => inv.Lines.Select(l => (Invoice: inv, Line: l)))
            .FirstOrDefault(x => x.Line.Events.Contains(i.Outcome.Event, StringComparer.Ordinal))).ToList();

        if (request.Json)
        {
            // The API's document, with "lines" added: the id of the line billing each instance (null when none does).
            var node = JsonSerializer.SerializeToNode(view, ApiJson.Options)!.AsObject();
            node["lines"] = new System.Text.Json.Nodes.JsonArray(lines.Select(l => (System.Text.Json.Nodes.JsonNode?)(l.Line?.Id)).ToArray());
            stdout.WriteLine(node.ToJsonString(new JsonSerializerOptions(ApiJson.Options) { WriteIndented = true }));
            return CliApp.Ok;
        }

        var sb = new StringBuilder();
        var label = session.Rules.Outcomes.First(o => o.Name == outcome).Label;
        sb.Append($"{request.Customer} · {label} ({outcome}) · key {key}\n");
        for (var i = 0; i < view.Instances.Count; i++)
        {
            var (instance, events) = (view.Instances[i].Outcome, view.Instances[i].Events);
            sb.Append($"  {instance.State}: event {instance.Event} at {UtcTimestamp.Format(instance.EventTime)}, billable at {UtcTimestamp.Format(instance.BillableAt)}\n");
            sb.Append($"      quantity {Engine.Rating.CurrencyMath.Normalize(instance.Quantity)}");
            if (instance.Value is { } value) sb.Append($", value {Engine.Rating.CurrencyMath.Normalize(value)} {instance.ValueCurrency}");
            sb.Append('\n');
            foreach (var (dimension, dimensionValue) in instance.Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal))
                sb.Append($"      {dimension}: {dimensionValue ?? "(absent)"}\n");
            foreach (var e in events)
                sb.Append($"      {e.Role} {e.Source}/{e.Id} ({e.Type}, {UtcTimestamp.Format(e.Time)})\n");
            if (lines[i].Line is { } billed)
                sb.Append($"      billed on \"{billed.Description}\" ({billed.Id}), invoice {UtcTimestamp.Format(lines[i].Invoice!.PeriodFrom)[..10]} → {UtcTimestamp.Format(lines[i].Invoice!.PeriodTo)[..10]}\n");
            else
                sb.Append($"      not billed on any invoice line{(instance.State == "pending" ? " yet" : "")}\n");
        }
        stdout.Write(sb.ToString());
        return CliApp.Ok;
    }

    private static int ExplainLine(SimulationResult simulation, ExplainRequest request, TextWriter stdout)
    {
        var found = simulation.Invoices.SelectMany(inv => inv.Lines.Select(l => (Invoice: inv, Line: l)))
            .FirstOrDefault(x => x.Line.Id == request.Line);
        if (found.Line is null)
        {
            var ids = simulation.Invoices.SelectMany(i => i.Lines).Select(l => l.Id).ToList();
            throw new CliException($"customer '{request.Customer}' has no invoice line '{request.Line}'"
                + (ids.Count == 0 ? "; it has no invoices" : $"; simulate --customer {request.Customer} --format json lists its {ids.Count} line ids"));
        }
        var (invoice, line) = found;
        if (request.Json)
        {
            var single = invoice with { Lines = [line] };
            stdout.WriteLine(InvoiceJson.Serialize(single with { Subtotal = line.Amount, CreditsApplied = 0m, Total = line.Amount, Credits = [] }));
            return CliApp.Ok;
        }
        var versions = string.Join(",", invoice.Versions.Select(v => "v" + v));
        stdout.Write($"{invoice.Customer} · {invoice.Contract} {versions} · {UtcTimestamp.Format(invoice.PeriodFrom)[..10]} → {UtcTimestamp.Format(invoice.PeriodTo)[..10]} · {invoice.Currency} · line {line.Id}\n");
        stdout.Write(InvoiceText.RenderLine(line, invoice.Currency, listAll: true));
        return CliApp.Ok;
    }
}
