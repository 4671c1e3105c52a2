using System.CommandLine;
using System.Globalization;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Storage.Migration;
using RulesBilling.Engine.Storage.Postgres;

namespace RulesBilling.Host.Cli;

/// <summary>
/// <c>rulesbilling migrate</c> (apply the PostgreSQL schema migrations) and <c>rulesbilling import</c> (copy a
/// LiteDB file into PostgreSQL and verify it). Thin wrappers over the engine's storage services.
/// </summary>
internal static class StorageCommands
{
    public static Command Migrate(TextWriter stdout, TextWriter stderr)
    {
        var store = new Option<string?>("--store") { Description = $"postgres:// URL or connection string (default: ${StoreFactory.Variable})" };
        var command = new Command("migrate", "Apply pending PostgreSQL schema migrations (every node also does this at start).") { store };
        command.SetAction(parsed => Guarded(stderr, () =>
        {
            var connectionString = PostgresOnly(parsed.GetValue(store));
            var report = Run(() => PostgresMigrations.Apply(connectionString));
            foreach (var migration in report.Applied) stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"applied {migration.Version:0000}_{migration.Name}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"schema at version {report.Version}"));
            return CliApp.Ok;
        }));
        return command;
    }

    public static Command Import(TextWriter stdout, TextWriter stderr)
    {
        var from = new Option<string>("--from") { Description = "the LiteDB store file to copy (stop the server using it first)", Required = true };
        var to = new Option<string?>("--to") { Description = $"target postgres:// URL or connection string (default: ${StoreFactory.Variable})" };
        var command = new Command("import", "Copy a LiteDB store file (billing and host data) into PostgreSQL, then verify counts, totals and invoice numbers.") { from, to };
        command.SetAction(parsed => Guarded(stderr, () =>
        {
            var connectionString = PostgresOnly(parsed.GetValue(to));
            var report = Run(() =>
            {
                using var target = PostgresBillingStore.Open(connectionString);
                using var notifications = new PostgresNotificationStore(target);
                return StoreImport.FromLiteDb(parsed.GetValue(from)!, target, new PostgresTenantStore(target), notifications, new PostgresPaymentStore(target));
            });
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"events: {report.EventsCopied} copied, {report.EventsAlreadyPresent} already present; ledger: {report.LedgerCopied} copied, {report.LedgerAlreadyPresent} already present"));
            foreach (var tenant in report.Target)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"tenant {tenant.Tenant}: {tenant.Events} events, {tenant.Invoices} invoices (total {tenant.InvoiceTotal}), {tenant.Grants} grants, {tenant.LedgerEntries} ledger entries, {tenant.Rejected} rejected"));
            }
            var host = report.HostCopied;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"host data copied: {host.Tenants} tenants, {host.ApiKeys} API keys, {host.Customers} customers, {host.ContractAssignments} contract assignments, {host.RuleSets} rule sets, {host.AuditEntries} audit entries, {host.WebhookSubscriptions} webhook subscriptions"));
            foreach (var tenant in report.HostTarget)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"tenant {tenant.Tenant} host data: {tenant.ApiKeys} API keys, {tenant.Customers} customers, {tenant.ContractAssignments} contract assignments, {tenant.RuleSets} rule sets, {tenant.AuditEntries} audit entries, {tenant.WebhookSubscriptions} webhook subscriptions"));
            }
            var pay = report.PaymentCopied;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"payment records copied: {pay.Accounts} accounts, {pay.Settings} customer settings, {pay.CustomerMappings} customer mappings, {pay.SyncRecords} sync records, {pay.WebhookEvents} webhook events, {pay.States} payment states"));
            if (!report.Verified)
            {
                throw new CliException("verification FAILED: " + string.Join("; ", report.Mismatches));
            }
            stdout.WriteLine("verified: source and target agree");
            return CliApp.Ok;
        }));
        return command;
    }

    private static string PostgresOnly(string? spec)
    {
        var resolved = Run(() => StoreFactory.Resolve(spec));
        return Run(() => StoreFactory.PostgresConnectionString(resolved))
            ?? throw new CliException($"'{resolved}' is not a PostgreSQL store (expected postgres://... or Host=...)", CliApp.UsageError);
    }

    /// <summary>
    /// Prints a <see cref="CliException"/> as one line and returns its exit code. Done here because System.CommandLine's
    /// default exception handler would otherwise print it with a stack trace before CliApp could.
    /// </summary>
    private static int Guarded(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (CliException e)
        {
            stderr.WriteLine($"rulesbilling: {e.Message}");
            return e.ExitCode;
        }
    }

    private static T Run<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (InvalidOperationException e)
        {
            throw new CliException(e.Message);
        }
    }
}
