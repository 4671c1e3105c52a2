using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Payments;
using Spectre.Console;

namespace RulesBilling.Host.Cli;

/// <summary>
/// <c>rulesbilling sync</c> (drain the payments outbox of a LiteDB file, once or until stopped) and
/// <c>rulesbilling reconcile</c> (compare the invoices we pushed with what the providers hold). Both open the file
/// directly, so they run while the server is stopped or started with <c>--sync-interval 0</c> on another file copy.
/// </summary>
internal static class PaymentCommands
{
    public static Command Sync(TextWriter stdout)
    {
        var db = Database();
        var once = new Option<bool>("--once") { Description = "Make one pass over the records due now, then exit (default: keep polling until stopped)." };
        var interval = new Option<double>("--interval") { Description = "Seconds between passes when polling.", DefaultValueFactory = _ => PaymentHostOptions.DefaultSyncInterval.TotalSeconds };
        interval.Validators.Add(r => { if (r.GetValueOrDefault<double>() is <= 0 or > 86400) r.AddError("--interval must be between 0 and 86400 seconds (exclusive of 0)"); });
        var retries = new Option<int>("--retries") { Description = "Retries of each provider call on a transient failure before the record is dead-lettered.", DefaultValueFactory = _ => RetryOptions.Default.MaxRetries };
        retries.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 20) r.AddError("--retries must be between 1 and 20"); });

        var command = new Command("sync", "Send finalized and voided invoices from the payments outbox to Stripe or Razorpay; exits 1 when a record stopped.")
        {
            db, once, interval, retries,
        };
        command.SetAction(async (parsed, cancellation) =>
        {
            using var store = Open(parsed.GetValue(db)!);
            var payments = new LiteDbPaymentStore(store);
            using var http = new ProviderHttp(PaymentHostOptions.Default.RequestTimeout);
            var worker = new SyncWorker(store, payments, http.Client, TimeProvider.System,
                RetryOptions.Default with { MaxRetries = parsed.GetValue(retries) });
            var stopped = false;
            do
            {
                SyncRunResult result;
                try
                {
                    result = await worker.RunOnceAsync(cancellation);
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    break;
                }
                WritePass(stdout, store, result);
                stopped |= result.Processed.Any(r => OutboxHandlers.IsStopped(r.Status));
                if (parsed.GetValue(once)) break;
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(parsed.GetValue(interval)), cancellation);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            while (true);
            return stopped ? CliApp.Failed : CliApp.Ok;
        });
        return command;
    }

    public static Command Reconcile(TextWriter stdout)
    {
        var db = Database();
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant (default: every tenant with pushed invoices)." };
        var format = new Option<string>("--format") { Description = "table (for people) or json (one document on stdout).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");

        var command = new Command("reconcile", "Compare pushed invoices with the providers' copies: missing, total mismatch, status drift; exits 1 when any.")
        {
            db, tenant, format,
        };
        command.SetAction(async (parsed, cancellation) =>
        {
            using var store = Open(parsed.GetValue(db)!);
            var payments = new LiteDbPaymentStore(store);
            using var http = new ProviderHttp(PaymentHostOptions.Default.RequestTimeout);
            var reconciler = new Reconciler(store, payments, http.Client);
            var pushes = payments.ListSync().Where(r => r.Action == SyncAction.Push && r.Status != SyncStatus.Cancelled).ToList();
            var tenants = parsed.GetValue(tenant) is { } only ? [only] : pushes.Select(r => r.Tenant).Distinct().Order(StringComparer.Ordinal).ToList();
            var findings = new List<ReconciliationFinding>();
            foreach (var t in tenants)
            {
                try
                {
                    findings.AddRange(await reconciler.RunAsync(t, cancellation));
                }
                catch (Exception e) when (FailureClassifier.Classify(e, cancellation) is not null)
                {
                    throw new CliException($"reconciling tenant '{t}' failed: {FailureClassifier.Describe(e)}");
                }
            }
            var checkedCount = pushes.Count(r => tenants.Contains(r.Tenant, StringComparer.Ordinal));
            if (parsed.GetValue(format) == "json") WriteJson(stdout, checkedCount, findings);
            else WriteTable(stdout, checkedCount, findings);
            return findings.Count == 0 ? CliApp.Ok : CliApp.Failed;
        });
        return command;
    }

    private static Option<string> Database() => new("--db") { Description = "The LiteDB database file of the server.", Required = true };

    private static LiteDbBillingStore Open(string path) =>
        File.Exists(path) ? new LiteDbBillingStore(path) : throw new CliException($"no database at '{path}'", CliApp.UsageError);

    private static void WritePass(TextWriter output, IBillingStore store, SyncRunResult result)
    {
        if (result.Processed.Count == 0)
        {
            output.WriteLine("nothing to send");
            return;
        }
        foreach (var r in result.Processed)
        {
            var invoice = $"{r.Tenant}/{store.FindInvoice(r.Tenant, r.InvoiceId)?.Number ?? r.InvoiceId}";
            var provider = ProviderNames.Of(r.Provider);
            output.WriteLine((r.Status, r.Action) switch
            {
                (SyncStatus.Done, SyncAction.Push) => $"pushed      {invoice} to {provider} as {r.ProviderInvoiceId}",
                (SyncStatus.Done, SyncAction.Void) => $"voided      {invoice} at {provider} ({r.ProviderInvoiceId ?? "never sent"})",
                (SyncStatus.Cancelled, _) => $"cancelled   {invoice} {Verb(r.Action)} to {provider}: {r.LastError}",
                (SyncStatus.DeadLetter, _) => $"dead-letter {invoice} {Verb(r.Action)} to {provider} at step {r.Step} after {r.Attempts} attempts: {r.LastError}",
                (SyncStatus.NeedsHuman, _) => $"needs-human {invoice} {Verb(r.Action)} to {provider} at step {r.Step}: {r.LastError}",
                (SyncStatus.Mismatch, _) => $"mismatch    {invoice} {Verb(r.Action)} to {provider}: {r.LastError}",
                _ => $"pending     {invoice} {Verb(r.Action)} to {provider} at step {r.Step}",
            });
        }
        var counts = new[]
        {
            (SyncStatus.Done, "done"), (SyncStatus.DeadLetter, "dead-lettered"), (SyncStatus.NeedsHuman, "need a human"),
            (SyncStatus.Mismatch, "mismatched"), (SyncStatus.Cancelled, "cancelled"),
        }.Where(c => result.Count(c.Item1) > 0).Select(c => string.Create(CultureInfo.InvariantCulture, $"{result.Count(c.Item1)} {c.Item2}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Processed.Count} processed: {string.Join(", ", counts)}"));
    }

    private static string Verb(SyncAction action) => action == SyncAction.Push ? "push" : "void";

    private static string Kind(DriftKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    private static void WriteTable(TextWriter output, int checkedCount, IReadOnlyList<ReconciliationFinding> findings)
    {
        var console = Terminal.For(output);
        if (findings.Count > 0)
        {
            var table = new Table().AddColumns("Tenant", "Invoice", "Provider", "Difference", "Detail");
            foreach (var f in findings)
            {
                table.AddRow(Markup.Escape(f.Tenant), Markup.Escape(f.InvoiceNumber ?? f.InvoiceId), ProviderNames.Of(f.Provider), Kind(f.Kind), Markup.Escape(f.Detail));
            }
            console.Write(table);
        }
        console.WriteLine(findings.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"no differences: {checkedCount} pushed invoice{(checkedCount == 1 ? "" : "s")} checked")
            : string.Create(CultureInfo.InvariantCulture, $"{findings.Count} difference{(findings.Count == 1 ? "" : "s")} in {checkedCount} pushed invoice{(checkedCount == 1 ? "" : "s")}"));
    }

    private static void WriteJson(TextWriter output, int checkedCount, IReadOnlyList<ReconciliationFinding> findings)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("checked", checkedCount);
            writer.WriteStartArray("differences");
            foreach (var f in findings)
            {
                writer.WriteStartObject();
                writer.WriteString("tenant", f.Tenant);
                writer.WriteString("invoiceId", f.InvoiceId);
                writer.WriteString("invoiceNumber", f.InvoiceNumber);
                writer.WriteString("provider", ProviderNames.Of(f.Provider));
                writer.WriteString("kind", Kind(f.Kind));
                writer.WriteString("detail", f.Detail);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
