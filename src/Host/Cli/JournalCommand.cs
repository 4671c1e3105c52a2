using System.CommandLine;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Accounting;
using RulesBilling.Host.Accounting;
using RulesBilling.Host.Payments;

namespace RulesBilling.Host.Cli;

/// <summary>
/// <c>rulesbilling journal</c>: the double-entry journal (or the revenue schedule) of a tenant from the server's LiteDB
/// file, dated in [--from, --to), as CSV or QuickBooks Online JournalEntry JSON on stdout (the same export as
/// <c>GET /v1/journal</c>). Outcome revenue is placed by the tenant's rules: those given with --rules, else the latest
/// rule set uploaded to the file.
/// </summary>
internal static class JournalCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var db = new Option<string>("--db") { Description = "The LiteDB database file of the server.", Required = true };
        var tenant = new Option<string>("--tenant") { Description = "The tenant whose books to export.", DefaultValueFactory = _ => Engine.Billing.Tenant.Default };
        var rules = new Option<string[]>("--rules") { Description = "Rule file(s) or folder(s) the server bills with (default: the tenant's latest uploaded rule set).", AllowMultipleArgumentsPerToken = true };
        var from = new Option<string?>("--from") { Description = "First day (yyyy-MM-dd, UTC) of the entries to export; default: the first." };
        var to = new Option<string?>("--to") { Description = "Day after the last one to export (yyyy-MM-dd, UTC, exclusive); default: no end." };
        var format = new Option<string>("--format") { Description = "csv (journal lines), qbo (QuickBooks Online JournalEntry bodies) or schedule (revenue schedule entries).", DefaultValueFactory = _ => JournalExport.Csv };
        format.AcceptOnlyFromAmong([.. JournalExport.Formats]);
        var push = new Option<bool>("--push") { Description = "Send the entries in range to the tenant's QuickBooks Online company (each once; exits 1 when one stopped) instead of printing them." };
        var realm = new Option<string?>("--quickbooks-realm") { Description = $"With --push: the company (realm id); stored in the file with the token from ${TokenVariable}. Default: the company stored before." };
        var apiBase = new Option<string?>("--quickbooks-api-base") { Description = "With --quickbooks-realm: the API address (default https://quickbooks.api.intuit.com)." };

        var command = new Command("journal", "Export the double-entry journal or the revenue schedules of a tenant's issued invoices, credit notes, payments and refunds.")
        {
            db, tenant, rules, from, to, format, push, realm, apiBase,
        };
        command.SetAction(async (parsed, cancellation) =>
        {
            var path = parsed.GetValue(db)!;
            if (!File.Exists(path)) throw new CliException($"no database at '{path}'", CliApp.UsageError);
            using var store = new LiteDbBillingStore(path);
            var name = parsed.GetValue(tenant)!;
            var ruleSet = parsed.GetValue(rules) is { Length: > 0 } paths
                ? RuleLoading.Load(paths, stderr, CompileOptions.Default)
                : Uploaded(store, name, stderr);
            try
            {
                if (parsed.GetValue(push))
                {
                    return await PushAsync(store, name, ruleSet, JournalExport.ParseDate(parsed.GetValue(from), "--from"),
                        JournalExport.ParseDate(parsed.GetValue(to), "--to"), parsed.GetValue(realm), parsed.GetValue(apiBase), stdout, cancellation);
                }
                var document = JournalExport.Render(store, new LiteDbPaymentStore(store), name, ruleSet,
                    JournalExport.ParseDate(parsed.GetValue(from), "--from"), JournalExport.ParseDate(parsed.GetValue(to), "--to"),
                    parsed.GetValue(format)!, TimeProvider.System.GetUtcNow());
                stdout.Write(document.Body);
                if (!document.Body.EndsWith('\n')) stdout.WriteLine();
            }
            catch (FormatException e)
            {
                throw new CliException(e.Message, CliApp.UsageError);
            }
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>The environment variable holding the QuickBooks OAuth access token (never a command-line argument, which other users can read).</summary>
    public const string TokenVariable = "RULESBILLING_QUICKBOOKS_TOKEN";

    private static async Task<int> PushAsync(
        LiteDbBillingStore store, string tenant, CompiledRuleSet rules, DateOnly? from, DateOnly? to, string? realm, string? apiBase,
        TextWriter stdout, CancellationToken cancellation)
    {
        var pushes = new LiteDbJournalPushStore(store);
        using var http = new ProviderHttp(PaymentHostOptions.Default.RequestTimeout);
        var pusher = new JournalPusher(pushes, http.Client, TimeProvider.System);
        if (realm is not null)
        {
            var token = Environment.GetEnvironmentVariable(TokenVariable);
            if (string.IsNullOrWhiteSpace(token)) throw new CliException($"--quickbooks-realm needs the access token in ${TokenVariable}", CliApp.UsageError);
            pushes.SaveAccount(new QuickBooksAccount(tenant, realm, token, apiBase));
            // New credentials are the fix for refused entries (an expired token, another company): try them again.
            foreach (var refused in pushes.List(tenant).Where(r => r.Status == JournalPushStatus.NeedsHuman)) pusher.Requeue(tenant, refused.EntryId);
        }
        else if (pushes.FindAccount(tenant) is null)
        {
            throw new CliException($"tenant '{tenant}' has no QuickBooks company in the database; give --quickbooks-realm (and the token in ${TokenVariable})", CliApp.UsageError);
        }
        var journal = JournalBuilder.Between(JournalBuilder.Build(JournalSource.Read(store, new LiteDbPaymentStore(store), tenant, rules), TimeProvider.System.GetUtcNow()), from, to);
        var result = await pusher.PushAsync(tenant, journal, cancellation);
        foreach (var r in result.Records)
        {
            stdout.WriteLine(r.Status switch
            {
                JournalPushStatus.Done => $"pushed      {r.EntryId} as QuickBooks JournalEntry {r.RemoteId}",
                JournalPushStatus.DeadLetter => $"dead-letter {r.EntryId} after {r.Attempts} attempts: {r.LastError}",
                JournalPushStatus.NeedsHuman => $"needs-human {r.EntryId}: {r.LastError}",
                _ => $"pending     {r.EntryId}",
            });
        }
        var stopped = result.Records.Count - result.Count(JournalPushStatus.Done);
        stdout.WriteLine(result.Records.Count == 0
            ? $"nothing to push: {journal.Count} entr{(journal.Count == 1 ? "y" : "ies")} already in QuickBooks"
            : $"{result.Records.Count} pushed: {result.Count(JournalPushStatus.Done)} done{(stopped > 0 ? $", {stopped} stopped" : "")}");
        return stopped > 0 ? CliApp.Failed : CliApp.Ok;
    }

    private static CompiledRuleSet Uploaded(LiteDbBillingStore store, string tenant, TextWriter stderr)
    {
        var latest = store.OpenTenantStore().ListRuleSets(tenant).LastOrDefault()
            ?? throw new CliException($"tenant '{tenant}' has no uploaded rule set in the database; give the rules the server bills with (--rules)", CliApp.UsageError);
        var compilation = RuleSetCompiler.Compile(latest.Files.Select(f => new SourceText(f.Path, f.Text)).ToList());
        if (compilation.RuleSet is not null) return compilation.RuleSet;
        foreach (var diagnostic in compilation.Diagnostics.Where(d => d.IsError)) stderr.WriteLine(diagnostic.Render());
        throw new CliException($"rule set version {latest.Version} of tenant '{tenant}' no longer checks; give --rules");
    }
}
