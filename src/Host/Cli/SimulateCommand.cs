using System.CommandLine;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Cli;

/// <summary>
/// <c>rulesbilling simulate</c>: a dry run of the whole pipeline in memory — ingest, detect outcomes, rate — that
/// stores and sends nothing. With <c>--compare</c> the same events are rated under a second rule set.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var rules = new Option<string[]>("--rules") { Description = "Rule file(s) or folder(s) forming the rule set.", Required = true, AllowMultipleArgumentsPerToken = true };
        var events = new Option<string>("--events") { Description = "CloudEvents as JSON Lines (or one JSON array); '-' reads stdin.", Required = true };
        var from = new Option<string?>("--from") { Description = "First day (YYYY-MM-DD, UTC) of the range to bill; default: the first event." };
        var to = new Option<string?>("--to") { Description = "Last day (YYYY-MM-DD, UTC, inclusive); default: the last event." };
        var customer = new Option<string?>("--customer") { Description = "Only this customer (CloudEvents subject)." };
        var format = new Option<string>("--format") { Description = "table (for people) or json (one document on stdout).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var db = new Option<string?>("--db") { Description = "Ingest into this LiteDB file (the embedded store) instead of memory; the file is kept." };
        var compare = new Option<string[]?>("--compare") { Description = "A second rule set: print what changes per customer, period and line (+ added, - removed, ~ changed); exit 3 when anything changed.", AllowMultipleArgumentsPerToken = true };
        var strict = new Option<bool>("--strict") { Description = "Exit 1 when any event was rejected, left unbilled (no contract) or could not be rated (for CI)." };
        var allowScripts = ScriptSwitch.Create();

        var command = new Command("simulate", "Dry-run rating of events under a rule set; nothing is stored or sent.")
        {
            rules, events, from, to, customer, format, compare, db, strict, allowScripts,
        };
        command.SetAction(parse =>
        {
            var request = new SimulationRequest(
                parse.GetValue(rules)!,
                parse.GetValue(events)!,
                CliInputs.ParseDay(parse.GetValue(from), "--from"),
                CliInputs.ParseDay(parse.GetValue(to), "--to")?.AddDays(1),
                parse.GetValue(customer),
                parse.GetValue(compare),
                parse.GetValue(db))
            {
                Compile = ScriptSwitch.Options(parse.GetValue(allowScripts)),
                Strict = parse.GetValue(strict),
            };
            return Run(request, parse.GetValue(format) == "json", stdout, stderr);
        });
        return command;
    }

    private static int Run(SimulationRequest request, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (request.From is { } f && request.To is { } t && t <= f)
        {
            throw new CliException("--to must not be before --from", CliApp.UsageError);
        }
        if (request.Events == "-" && request.Compare is { Length: > 0 })
        {
            // Both rule sets read the events; stdin can be read only once, so the second run would see none.
            throw new CliException("--compare needs an events file, not '-' (stdin can be read only once)", CliApp.UsageError);
        }

        // A progress bar only where a person watches a large run; redirected output stays clean.
        var showProgress = !json && !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out)
            && request.Events != "-" && File.Exists(request.Events) && new FileInfo(request.Events).Length > LargeInput;
        var baseline = Simulate(request.Rules, request, stderr, showProgress);
        if (request.Compare is { Length: > 0 } compareRules)
        {
            var candidate = Simulate(compareRules, request, stderr, showProgress);
            var diff = PlanDiff.Between(baseline, candidate);
            if (json) PlanDiffText.WriteJson(stdout, diff);
            else stdout.Write(PlanDiffText.Render(diff));
            foreach (var error in baseline.Errors.Concat(candidate.Errors)) stderr.WriteLine(error.ToString());
            // Like `terraform plan -detailed-exitcode`, but 2 is already a usage error here: changes exit 3.
            if (Failed(baseline, request.Strict) || Failed(candidate, request.Strict)) return CliApp.Failed;
            return diff.HasChanges ? CliApp.Changes : CliApp.Ok;
        }

        if (json) SimulationJson.Write(stdout, baseline);
        else SimulationTable.Write(stdout, baseline, RejectedEventText.FileName(request.Events));

        // Rating errors are printed with the result, and make the run fail: an event that could not be rated is never a zero.
        foreach (var error in baseline.Errors) stderr.WriteLine(error.ToString());
        if (request.Strict && Failed(baseline, strict: true) && baseline.Errors.Count == 0)
        {
            stderr.WriteLine($"rulesbilling: --strict: {baseline.Rejected.Count} event(s) rejected, {baseline.Unbilled.Count} unbilled");
        }
        return Failed(baseline, request.Strict) ? CliApp.Failed : CliApp.Ok;
    }

    /// <summary>Rating errors always fail the run; under --strict so do rejected and unbilled events.</summary>
    private static bool Failed(SimulationResult result, bool strict) => strict ? result.HasProblems : result.Errors.Count > 0;

    private const long LargeInput = 1 << 20;

    private static SimulationResult Simulate(string[] rulePaths, SimulationRequest request, TextWriter stderr, bool showProgress)
    {
        var ruleSet = RuleLoading.Load(rulePaths, stderr, request.Compile);
        using var reader = CliInputs.OpenEvents(request.Events);
        try
        {
            return ProgressDisplay.Run(showProgress, progress =>
            {
                if (request.Db is not null) Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(request.Db))!);
                using var store = request.Db is null ? null : new LiteDbBillingStore(request.Db);
                // Without --db nothing reads the events' JSON after ingestion: the compact session does not keep it.
                using var session = store is null ? DryRunSession.Compact(ruleSet, TimeProvider.System) : new DryRunSession(ruleSet, TimeProvider.System, store);
                var ingestion = session.IngestAll(reader);
                if (!ingestion.Succeeded) throw new BillingException(ingestion.Error!);
                return session.Simulate(request.From, request.To, request.Customer, progress);
            });
        }
        catch (BillingException e)
        {
            throw new CliException(e.Message);
        }
    }

    private sealed record SimulationRequest(string[] Rules, string Events, DateTimeOffset? From, DateTimeOffset? To, string? Customer, string[]? Compare, string? Db)
    {
        public CompileOptions Compile { get; init; } = CompileOptions.Default;

        public bool Strict { get; init; }
    }
}
