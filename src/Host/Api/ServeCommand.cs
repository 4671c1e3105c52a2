using System.CommandLine;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Cli;
using RulesBilling.Host.Payments;

namespace RulesBilling.Host.Api;

/// <summary><c>rulesbilling serve</c>: runs the HTTP API until the process is stopped.</summary>
internal static class ServeCommand
{
    public const string AdminKeyVariable = "RULESBILLING_ADMIN_KEY";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var db = new Option<string>("--db") { Description = "LiteDB database file (created when missing).", DefaultValueFactory = _ => "data/billing.db" };
        var store = new Option<string?>("--store")
        {
            Description = $"The store: postgres://user@host:5432/db?schema=s (several nodes may share it), an Npgsql connection string, or a LiteDB file path (default: ${StoreFactory.Variable}, else --db).",
        };
        var rules = new Option<string[]>("--rules") { Description = "Rule files or folders loaded at start-up.", DefaultValueFactory = _ => ["pricing-rules/"], AllowMultipleArgumentsPerToken = true };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var adminKey = new Option<string?>("--admin-key") { Description = $"Key that may create tenants (default: ${AdminKeyVariable})." };
        var jsonLogs = new Option<bool>("--json-logs") { Description = "Write logs as compact JSON lines." };
        var rateLimit = new Option<int>("--rate-limit")
        {
            Description = "Requests each API key (or each client address without a key) may make per minute; more are answered 429.",
            DefaultValueFactory = _ => ServeOptions.DefaultRateLimitPerMinute,
        };
        rateLimit.Validators.Add(result =>
        {
            // A token that is not a number is reported by the parser itself; only read parsed numbers here.
            if (result.Tokens is [var token] && int.TryParse(token.Value, System.Globalization.CultureInfo.InvariantCulture, out var perMinute) && perMinute < 1)
            {
                result.AddError("--rate-limit must be at least 1 request per minute");
            }
        });

        var syncInterval = new Option<double>("--sync-interval")
        {
            Description = "Seconds between passes of the payments outbox worker; 0 turns it off (use 'rulesbilling sync').",
            DefaultValueFactory = _ => PaymentHostOptions.DefaultSyncInterval.TotalSeconds,
        };
        syncInterval.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is < 0 or > 86400) result.AddError("--sync-interval must be between 0 and 86400 seconds");
        });

        var thresholdInterval = new Option<double>("--threshold-interval")
        {
            Description = "Seconds between background threshold checks of the customers whose activity changed (issuing threshold invoices); 0 turns them off.",
            DefaultValueFactory = _ => ServeOptions.DefaultThresholdInterval.TotalSeconds,
        };
        thresholdInterval.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is < 0 or > 86400) result.AddError("--threshold-interval must be between 0 and 86400 seconds");
        });

        var dunning = new Option<string?>("--dunning")
        {
            Description = "Dunning schedule in days: due=30;overdue=0,3,7,14;retry=1,3,5 (payment term, invoice.overdue reminders after the due date, invoice.payment_failed reminders after a failed payment).",
        };
        dunning.Validators.Add(result =>
        {
            if (result.Tokens is not [var token]) return;
            try
            {
                DunningSchedule.Parse(token.Value);
            }
            catch (FormatException e)
            {
                result.AddError("--dunning: " + e.Message);
            }
        });

        var allowScripts = Cli.ScriptSwitch.Create();
        var allowPrivateWebhooks = new Option<bool>("--allow-private-webhooks")
        {
            Description = "Let webhook URLs point at loopback, private, link-local or metadata addresses (local testing only).",
        };
        var portalKeys = new Option<string[]>("--portal-key")
        {
            Description = $"id:secret signing customer portal links (secret of at least {Portal.PortalKeys.MinimumSecretLength} characters); repeat to rotate: the first signs, all verify (default: ${Portal.PortalKeys.Variable}, comma-separated).",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("serve", "Run the billing engine as an HTTP API, the customer portal (/portal) and the operator dashboard (/dashboard).")
        {
            db, store, rules, urls, adminKey, jsonLogs, rateLimit, syncInterval, thresholdInterval, dunning, allowScripts, allowPrivateWebhooks, portalKeys,
        };
        command.SetAction(parsed =>
        {
            var rulesGiven = parsed.GetResult(rules) is { Implicit: false };
            // --store wins, then an explicit --db, then the environment, then the default LiteDB file.
            var spec = parsed.GetValue(store) is { Length: > 0 } given ? given
                : parsed.GetResult(db) is { Implicit: false } ? parsed.GetValue(db)!
                : NonEmpty(Environment.GetEnvironmentVariable(StoreFactory.Variable)) ?? parsed.GetValue(db)!;
            var postgres = StoreFactory.PostgresConnectionString(spec.Trim()) is not null;
            var portalSpec = parsed.GetValue(portalKeys) is { Length: > 0 } givenKeys ? givenKeys
                : NonEmpty(Environment.GetEnvironmentVariable(Portal.PortalKeys.Variable)) is { } fromEnvironment ? [fromEnvironment] : [];
            Portal.PortalKeys portal;
            try
            {
                portal = Portal.PortalKeys.Parse(portalSpec);
            }
            catch (FormatException e)
            {
                throw new CliException(e.Message);
            }
            var options = new ServeOptions(
                postgres ? parsed.GetValue(db)! : spec.Trim(),
                parsed.GetValue(rules)!,
                parsed.GetValue(urls)!,
                parsed.GetValue(adminKey) ?? NonEmpty(Environment.GetEnvironmentVariable(AdminKeyVariable)),
                parsed.GetValue(jsonLogs))
            {
                RateLimitPermits = parsed.GetValue(rateLimit),
                Payments = PaymentHostOptions.Default with
                {
                    SyncInterval = TimeSpan.FromSeconds(parsed.GetValue(syncInterval)),
                    Dunning = parsed.GetValue(dunning) is { } schedule ? DunningSchedule.Parse(schedule) : DunningSchedule.Default,
                },
                ThresholdInterval = TimeSpan.FromSeconds(parsed.GetValue(thresholdInterval)),
                AllowScripts = parsed.GetValue(allowScripts),
                AllowPrivateWebhooks = parsed.GetValue(allowPrivateWebhooks),
                Store = postgres ? spec.Trim() : null,
                PortalKeys = portal,
            };
            return Run(options, rulesGiven, stdout, stderr);
        });
        return command;
    }

    private static int Run(ServeOptions options, bool rulesGiven, TextWriter stdout, TextWriter stderr)
    {
        // The default folder is optional so the server starts on a fresh machine; named rules must check cleanly.
        CompiledRuleSet? startup = null;
        if (rulesGiven || options.RulePaths.Any(Path.Exists))
        {
            var compilation = RuleSetCompiler.CompilePaths(options.RulePaths, Cli.ScriptSwitch.Options(options.AllowScripts));
            if (compilation.RuleSet is null)
            {
                stderr.WriteLine(compilation.Render());
                throw new CliException($"the rules in {string.Join(", ", options.RulePaths)} do not check; the server was not started");
            }
            startup = compilation.RuleSet;
        }

        using var app = ApiApplication.Create(options, startup, files => RuleCompiler.Check(files, Cli.ScriptSwitch.Options(options.AllowScripts)), stdout, TimeProvider.System);
        app.Run();
        return CliApp.Ok;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
