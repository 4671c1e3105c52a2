using RulesBilling.Host.Cli;

namespace RulesBilling.Host.Tests.Repl;

/// <summary>A scripted session through <c>rulesbilling repl</c> with piped stdin, checked against its transcript.</summary>
public sealed class ReplSessionTests
{
    private const string Rules = """
        event ticket.resolved {
          ticket_id: string
          status: string
        }
        outcome resolved from ticket.resolved {
          when status == "closed"
          key ticket_id
        }
        pricing standard {
          charge resolved {
            unit 2 USD
          }
        }
        contract acme version 1 effective 2026-01-01 {
          customers default
          pricing standard
        }
        """;

    private static string Event(string id, string ticket, string status) =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"agent","type":"ticket.resolved","subject":"cust-1","time":"2026-10-05T10:00:00Z","data":{"ticket_id":"{{{ticket}}}","status":"{{{status}}}"}}""";

    [Fact]
    public void A_piped_session_loads_feeds_evaluates_and_explains()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rb-repl", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var rules = Path.Combine(folder, "pricing.rules");
            File.WriteAllText(rules, Rules);
            File.WriteAllText(Path.Combine(folder, "broken.rules"), "outcome x from nowhere {}\n");
            var script = string.Join('\n',
                ":bogus",
                ":eval 1",
                $":load {folder}/broken.rules",
                $":load {rules}",
                Event("e1", "T-1", "closed"),
                ":eval ticket_id + \"!\"",
                ":eval nosuch",
                Event("e2", "T-1", "closed"),
                Event("e3", "T-2", "open"),
                ":invoice cust-1",
                ":invoice cust-1 json",
                "{not json",
                ":reset",
                ":history",
                ":quit",
                ":help");
            var stdout = new StringWriter();
            var stderr = new StringWriter();

            var exit = CliApp.Run(["repl"], new StringReader(script), stdout, stderr);

            Assert.Equal(0, exit);
            Assert.Equal("", stderr.ToString());
            var transcript = stdout.ToString().Replace(folder, "<dir>", StringComparison.Ordinal);
            var expectedPath = Path.Combine(SourceFolder(), "session.transcript");
            if (Environment.GetEnvironmentVariable("RB_UPDATE_TRANSCRIPT") == "1") File.WriteAllText(expectedPath, transcript);
            Assert.Equal(File.ReadAllText(expectedPath), transcript);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void An_event_of_an_outcome_the_pricing_does_not_charge_is_explained_as_not_counted()
    {
        // Issue 13: its exclusion is on the invoice itself; the REPL used to say the event makes no outcome.
        var folder = Path.Combine(Path.GetTempPath(), "rb-repl", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var rules = Path.Combine(folder, "pricing.rules");
            File.WriteAllText(rules, Rules.Replace("pricing standard {", """
                event ticket.escalated {
                  ticket_id: string
                }
                outcome escalated from ticket.escalated {
                  key ticket_id
                }
                pricing standard {
                """, StringComparison.Ordinal));
            var escalation = """{"specversion":"1.0","id":"e1","source":"agent","type":"ticket.escalated","subject":"cust-1","time":"2026-10-05T10:00:00Z","data":{"ticket_id":"T-1"}}""";
            var script = string.Join('\n', $":load {rules}", escalation, ":quit");
            var stdout = new StringWriter();

            Assert.Equal(0, CliApp.Run(["repl"], new StringReader(script), stdout, new StringWriter()));

            Assert.Contains("accepted agent/e1: not counted: no-matching-charge — no charge of pricing 'standard' matches its dimensions (the pricing has no 'escalated' line)",
                stdout.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Free_units_read_as_free_not_as_a_unit_price_times_a_quantity()
    {
        var folder = Directory.CreateTempSubdirectory("rb-repl-free-").FullName;
        try
        {
            var rules = Path.Combine(folder, "pricing.rules");
            File.WriteAllText(rules, Rules.Replace("    unit 2 USD", "    free 10\n    unit 1.20 USD"));
            var script = string.Join('\n', [$":load {rules}", .. Enumerable.Range(1, 4).Select(n => Event($"e{n}", $"T-{n}", "closed")), ":invoice cust-1", ":quit"]);
            var stdout = new StringWriter();

            Assert.Equal(0, CliApp.Run(["repl"], new StringReader(script), stdout, new StringWriter()));

            // Was "resolved (unit 1.20 USD): 4 × 1.20 = 0.00" with a "4 free units" note.
            var invoice = stdout.ToString()[stdout.ToString().IndexOf("cust-1 · acme", StringComparison.Ordinal)..];
            Assert.StartsWith("""
                cust-1 · acme v1 · 2026-10-01 → 2026-11-01 · USD · draft
                  Resolved: 4 = 0.00
                      4 of 4 units free (10 included)
                      0 × 1.20 USD = 0.00 USD
                      total 0.00 USD
                      rule resolved, acme v1, file 
                """.Replace("\r", ""), invoice);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
