using RulesBilling.Dsl.Compilation;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Cli;

/// <summary>
/// <c>rulesbilling entitlements</c>: the entitlement view of one customer from a dry run — the events are ingested
/// into a throw-away store — as of <c>--at</c> (default: the customer's last event). Prints the same document as
/// GET /v1/customers/{id}/entitlements with <c>--format json</c>.
/// </summary>
internal static class EntitlementsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var rules = new Option<string[]>("--rules") { Description = "Rule file(s) or folder(s) forming the rule set.", Required = true, AllowMultipleArgumentsPerToken = true };
        var events = new Option<string>("--events") { Description = "CloudEvents as JSON Lines; '-' reads stdin.", Required = true };
        var customer = new Option<string>("--customer") { Description = "The customer (CloudEvents subject).", Required = true };
        var at = new Option<string?>("--at") { Description = "The instant to evaluate (ISO 8601, UTC); default: the customer's last event." };
        var format = new Option<string>("--format") { Description = "table (for people) or json (one document on stdout).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var allowScripts = ScriptSwitch.Create();

        var command = new Command("entitlements", "Show a customer's features, usage and limits from a dry run of events; nothing is stored or sent.")
        {
            rules, events, customer, at, format, allowScripts,
        };
        command.SetAction(parse => Run(parse.GetValue(rules)!, parse.GetValue(events)!, parse.GetValue(customer)!, parse.GetValue(at),
            parse.GetValue(format) == "json", ScriptSwitch.Options(parse.GetValue(allowScripts)), stdout, stderr));
        return command;
    }

    private static int Run(string[] rulePaths, string eventsPath, string customer, string? atText, bool json, CompileOptions compile, TextWriter stdout, TextWriter stderr)
    {
        var at = CliInputs.ParseInstant(atText, "--at");

        var ruleSet = RuleLoading.Load(rulePaths, stderr, compile);
        using var session = new DryRunSession(ruleSet, TimeProvider.System);
        using (var reader = CliInputs.OpenEvents(eventsPath))
        {
            IngestionResult ingestion;
            try
            {
                ingestion = session.IngestAll(reader);
            }
            catch (BillingException e)
            {
                throw new CliException(e.Message, CliApp.UsageError);
            }
            if (!ingestion.Succeeded) throw new CliException(ingestion.Error!, CliApp.UsageError);
            foreach (var rejected in ingestion.Events.Where(e => e.Status == EventStatus.Rejected))
                stderr.WriteLine(RejectedEventText.Format(RejectedEventText.FileName(eventsPath), rejected));
        }

        var stored = session.Store.ReadEvents(DryRunSession.Tenant, customer).ToList();
        var instant = at ?? (stored.Count > 0 ? stored.Max(e => e.Time) : throw new CliException($"customer '{customer}' has no events; pass --at to evaluate anyway", CliApp.UsageError));
        // As of the instant: later events have not happened yet.
        var view = session.Entitlements(customer, instant);
        if (json) stdout.WriteLine(JsonSerializer.Serialize(view, ApiJson.Options));
        else WriteTable(stdout, view);
        return CliApp.Ok;
    }

    private static void WriteTable(TextWriter stdout, CustomerEntitlements view)
    {
        var contract = view.Contract is null ? "no contract" : $"contract {view.Contract} v{view.Version}";
        stdout.WriteLine($"{view.Customer} at {UtcTimestamp.Format(view.At)} ({contract})");
        var rows = view.Features.Select(f => new[]
        {
            f.Feature, f.Kind, f.HasAccess ? "yes" : "no", Value(f),
            Show(f.Usage), f.Limit is { } l ? $"{Show(l)} {f.LimitMode}" : f.Usage is null ? "" : "unlimited",
            Show(f.Remaining), Show(f.Overage), f.ResetsAt is { } r ? UtcTimestamp.Format(r) : "",
        }).ToList();
        string[] header = ["feature", "kind", "access", "value", "usage", "limit", "remaining", "overage", "resets"];
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        stdout.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows) stdout.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
    }

    private static string Value(FeatureEntitlement f) =>
        f.Enabled is { } enabled ? (enabled ? "on" : "off") : f.Number is { } n ? Show(n) : f.Text ?? "";

    private static string Show(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
