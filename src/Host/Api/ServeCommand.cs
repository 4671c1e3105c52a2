using System.CommandLine;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Host.Cli;

namespace RulesBilling.Host.Api;

/// <summary><c>rulesbilling serve</c>: runs the HTTP API until the process is stopped.</summary>
internal static class ServeCommand
{
    public const string AdminKeyVariable = "RULESBILLING_ADMIN_KEY";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var db = new Option<string>("--db") { Description = "LiteDB database file (created when missing).", DefaultValueFactory = _ => "data/billing.db" };
        var rules = new Option<string[]>("--rules") { Description = "Rule files or folders loaded at start-up.", DefaultValueFactory = _ => ["pricing-rules/"], AllowMultipleArgumentsPerToken = true };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var adminKey = new Option<string?>("--admin-key") { Description = $"Key that may create tenants (default: ${AdminKeyVariable})." };
        var jsonLogs = new Option<bool>("--json-logs") { Description = "Write logs as compact JSON lines." };
        var rateLimit = new Option<int>("--rate-limit")
        {
            Description = "Requests each API key may make per minute (load tests raise it).",
            DefaultValueFactory = _ => ServeOptions.DefaultRateLimitPermits,
        };
        rateLimit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError("--rate-limit must be at least 1 request per minute");
        });

        var command = new Command("serve", "Run the billing engine as an HTTP API.") { db, rules, urls, adminKey, jsonLogs, rateLimit };
        command.SetAction(parsed =>
        {
            var rulesGiven = parsed.GetResult(rules) is { Implicit: false };
            var options = new ServeOptions(
                parsed.GetValue(db)!,
                parsed.GetValue(rules)!,
                parsed.GetValue(urls)!,
                parsed.GetValue(adminKey) ?? NonEmpty(Environment.GetEnvironmentVariable(AdminKeyVariable)),
                parsed.GetValue(jsonLogs)) { RateLimitPermits = parsed.GetValue(rateLimit) };
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
            var compilation = RuleSetCompiler.CompilePaths(options.RulePaths);
            if (compilation.RuleSet is null)
            {
                stderr.WriteLine(compilation.Render());
                throw new CliException($"the rules in {string.Join(", ", options.RulePaths)} do not check; the server was not started");
            }
            startup = compilation.RuleSet;
        }

        using var app = ApiApplication.Create(options, startup, RuleCompiler.Check, stdout, TimeProvider.System);
        app.Run();
        return CliApp.Ok;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
