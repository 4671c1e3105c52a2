using System.CommandLine;

namespace RulesBilling.Host.Cli;

/// <summary>
/// <c>rulesbilling init [dir]</c>: scaffolds a rule folder a new user can run at once: a commented rules file and a
/// JSON Lines file of test events that <c>check</c> and <c>simulate</c> accept. Never overwrites a file.
/// </summary>
internal static class InitCommand
{
    public const string RulesFile = "billing.rules";
    public const string EventsFile = "test-events.jsonl";

    public static Command Create(TextWriter stdout)
    {
        var directory = new Argument<string>("dir") { Description = "The folder to create (default: the current folder).", DefaultValueFactory = _ => "." };
        var command = new Command("init", "Scaffold a rule folder: a sample rules file and test events for check and simulate.") { directory };
        command.SetAction(parse => Run(parse.GetValue(directory)!, stdout));
        return command;
    }

    private static int Run(string directory, TextWriter stdout)
    {
        var rules = Path.Combine(directory, RulesFile);
        var events = Path.Combine(directory, EventsFile);
        foreach (var path in new[] { rules, events })
        {
            if (File.Exists(path)) throw new CliException($"{path} already exists; init writes only new files (choose another folder)");
        }
        Directory.CreateDirectory(directory);
        File.WriteAllText(rules, SampleRules);
        File.WriteAllText(events, SampleEvents);
        stdout.WriteLine($"created {rules}");
        stdout.WriteLine($"created {events}");
        stdout.WriteLine("next:");
        stdout.WriteLine($"  rulesbilling check {directory}");
        stdout.WriteLine($"  rulesbilling simulate --rules {directory} --events {events}");
        return CliApp.Ok;
    }

    public const string SampleRules = """
        // A starting point: an AI support agent billed per resolved ticket (docs/dsl-spec.md has the whole language).
        //
        // Events are CloudEvents; `type` names the event, `subject` is the customer, `data` follows the schema below.

        event ticket.resolved {
          ticket_id: string
          csat: integer?          // 1..5; absent when the customer skipped the survey
        }

        event ticket.reopened {
          ticket_id: string
        }

        // A resolved ticket is billable once (key), when the customer was satisfied, and only if it is not reopened
        // within 72 hours (then it is reversed and never billed).
        outcome resolved from ticket.resolved {
          when csat ?? 5 >= 4
          key ticket_id
          hold 72h reversed by ticket.reopened on ticket_id
        }

        pricing starter {
          base 49 USD
          charge resolved {
            free 2
            unit 1.50 USD
          }
        }

        // Every customer not bound to another contract is billed under this one, monthly.
        contract starter version 1 effective 2026-01-01 {
          customers default
          pricing starter
          currency USD
          period monthly
        }

        """;

    public const string SampleEvents = """
        {"specversion":"1.0","id":"t-1","source":"//support/agent","type":"ticket.resolved","subject":"acme","time":"2026-01-05T10:00:00Z","data":{"ticket_id":"T-1","csat":5}}
        {"specversion":"1.0","id":"t-2","source":"//support/agent","type":"ticket.resolved","subject":"acme","time":"2026-01-06T11:00:00Z","data":{"ticket_id":"T-2"}}
        {"specversion":"1.0","id":"t-3","source":"//support/agent","type":"ticket.resolved","subject":"acme","time":"2026-01-07T12:00:00Z","data":{"ticket_id":"T-3","csat":4}}
        {"specversion":"1.0","id":"t-4","source":"//support/agent","type":"ticket.resolved","subject":"acme","time":"2026-01-08T09:30:00Z","data":{"ticket_id":"T-4","csat":2}}
        {"specversion":"1.0","id":"t-5","source":"//support/agent","type":"ticket.resolved","subject":"acme","time":"2026-01-09T15:00:00Z","data":{"ticket_id":"T-5","csat":5}}
        {"specversion":"1.0","id":"r-5","source":"//support/agent","type":"ticket.reopened","subject":"acme","time":"2026-01-10T08:00:00Z","data":{"ticket_id":"T-5"}}
        {"specversion":"1.0","id":"t-6","source":"//support/agent","type":"ticket.resolved","subject":"globex","time":"2026-01-12T10:00:00Z","data":{"ticket_id":"G-1"}}

        """;
}
