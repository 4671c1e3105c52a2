using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Accounting;
using RulesBilling.Engine.Tests.Billing;

namespace RulesBilling.Engine.Tests.Activity;

/// <summary>
/// Issue 13 (simulate memory): the compact dry run keeps each event's typed form and not its JSON, and decodes the
/// outcome state with pooled strings. For any event stream it must rate exactly what the full session rates: the same
/// invoices byte for byte in their JSON form (every line's counted and excluded events included), the same rejected,
/// unbilled and rating errors.
/// </summary>
public class DryRunSessionCompactTests
{
    private static readonly CompiledRuleSet SupportAgent = RuleSetCompiler.CompilePaths(
        [Path.Combine(SampleBooks.RepoRoot, "pricing-rules", "support_agent.rules")]).RuleSet!;

    private static readonly TestClock Clock = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));

    private static readonly DateTimeOffset January = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Kinds = ["closed", "closed", "closed", "closed", "reopened", "llm", "bad"];
    private static readonly string[] Customers = ["acme", "globex", "initech"];
    private static readonly string[] Statuses = ["closed", "closed", "pending", "solved_by_human"];
    private static readonly string[] Priorities = ["", "low", "normal", "high", "urgent"];
    private static readonly string[] Channels = ["Email", " chat", "Voice"];

    /// <summary>
    /// A support_agent event from ten choices: closed tickets in every status, rating and priority (most fail the
    /// condition), a few tickets so keys repeat, reopenings inside and outside the hold, LLM costs, and events the
    /// schema rejects; the id is drawn too, so an id can repeat (a duplicate).
    /// </summary>
    private static string Event(int[] c)
    {
        var (kind, customer, ticket, time) = (Kinds[c[0] % Kinds.Length], Customers[c[1] % Customers.Length], 1 + c[2] % 12, January.AddHours(c[3] % (59 * 24)));
        var csat = c[5] % 6;
        var priority = Priorities[c[6] % Priorities.Length];
        var data = kind switch
        {
            "closed" => $$"""{"ticket_id":"T{{ticket}}","status":"{{Statuses[c[4] % Statuses.Length]}}","channel":"{{Channels[c[7] % Channels.Length]}}","handle_time":{{30 + c[8] % 5000}},"escalated":{{(c[9] % 4 == 0 ? "true" : "false")}}"""
                        + (csat == 0 ? "" : $",\"csat\":{csat}") + (priority == "" ? "" : $",\"priority\":\"{priority}\"") + "}",
            "reopened" => $$"""{"ticket_id":"T{{ticket}}"}""",
            "llm" => $$"""{"ticket_id":"T{{ticket}}","model":"m{{ticket % 3}}","cost_usd":{{(c[8] % 5000 / 1000m).ToString(CultureInfo.InvariantCulture)}}}""",
            _ => $$"""{"ticket_id":"T{{ticket}}","channel":"chat"}""",
        };
        return Event(kind, customer, ticket, time, data, (c[10] % 400).ToString(CultureInfo.InvariantCulture));
    }

    private static string Event(string kind, string customer, int ticket, DateTimeOffset time, string data, string id)
    {
        var type = kind switch
        {
            "reopened" => "support.ticket.reopened",
            "llm" => "support.llm.call",
            _ => "support.ticket.closed",
        };
        return $$"""{"specversion":"1.0","id":"{{kind}}-{{ticket}}-{{id}}","source":"src","type":"{{type}}","subject":"{{customer}}","time":"{{time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}","data":{{data}}}""";
    }

    private static readonly Gen<string> OneEvent = Gen.Choose(0, 1 << 20).ArrayOf(11).Select(Event);

    private static string[] RandomEvents(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Event(Enumerable.Range(0, 11).Select(_ => random.Next(1 << 20)).ToArray())).ToArray();
    }

    [Property(MaxTest = 60)]
    public Property The_compact_session_rates_every_stream_as_the_full_session_does() =>
        Prop.ForAll(OneEvent.ArrayOf().Where(e => e.Length > 0).ToArbitrary(), events =>
        {
            // Some events twice: duplicates are dropped the same way in both.
            var input = string.Join("\n", events.Concat(events.Where((_, n) => n % 5 == 0)));
            var full = Simulate(new DryRunSession(SupportAgent, Clock), input);
            var compact = Simulate(DryRunSession.Compact(SupportAgent, Clock), input);
            Assert.Equal(full, compact);
        });

    [Fact]
    public void The_compact_session_bills_a_larger_stream_like_the_full_session()
    {
        var input = string.Join("\n", RandomEvents(2_000, 13));
        var full = Simulate(new DryRunSession(SupportAgent, Clock), input);
        var compact = Simulate(DryRunSession.Compact(SupportAgent, Clock), input);
        Assert.Equal(full, compact);
        // Lines list their counted events, and some events are excluded with a reason.
        Assert.Contains("\"src/closed-", compact, StringComparison.Ordinal);
        Assert.Contains("failed-condition", compact, StringComparison.Ordinal);
    }

    [Fact]
    public void Entitlements_and_usage_of_the_compact_session_are_those_of_the_full_session()
    {
        var input = string.Join("\n", RandomEvents(300, 7));
        using var full = new DryRunSession(SupportAgent, Clock);
        using var compact = DryRunSession.Compact(SupportAgent, Clock);
        full.IngestAll(new StringReader(input));
        compact.IngestAll(new StringReader(input));
        var at = January.AddDays(20);
        foreach (var customer in new[] { "acme", "globex", "initech" })
        {
            Assert.Equal(JsonSerializer.Serialize(full.Entitlements(customer, at)), JsonSerializer.Serialize(compact.Entitlements(customer, at)));
            var fullUsage = full.Usage(customer, at)!;
            var compactUsage = compact.Usage(customer, at)!;
            Assert.Equal(
                fullUsage.Segments.Select(s => string.Join(",", s.Outcomes.Select(o => $"{o.EventId}:{o.State}:{o.Quantity}"))),
                compactUsage.Segments.Select(s => string.Join(",", s.Outcomes.Select(o => $"{o.EventId}:{o.State}:{o.Quantity}"))));
        }
    }

    [Fact]
    public void The_compact_session_keeps_the_typed_form_instead_of_the_json_and_the_json_of_events_without_one()
    {
        using var session = DryRunSession.Compact(SupportAgent, Clock);
        var closed = Event("closed", "acme", 1, January.AddDays(2), """{"ticket_id":"T1","status":"closed","channel":"chat","handle_time":60,"escalated":false}""", "1");
        Assert.Equal(1, session.IngestAll(new StringReader(closed)).Accepted);
        // Appended directly, without its typed form (as events stored before typing existed): only the JSON can bind it.
        var at = January.AddDays(3);
        session.Store.AppendEvents([new StoredEvent(DryRunSession.Tenant, "src", "untyped-1", "support.ticket.reopened", "acme", at, at, 0, """{"ticket_id":"T9"}""")]);

        var stored = session.Store.ReadEvents(DryRunSession.Tenant, "acme").ToList();
        Assert.Equal(["closed-1-1", "untyped-1"], stored.Select(e => e.Id));
        Assert.Equal("", stored[0].DataJson);
        Assert.NotNull(stored[0].Fields);
        Assert.Equal("""{"ticket_id":"T9"}""", stored[1].DataJson);
        Assert.Null(stored[1].Fields);
        // Still billed: the typed form binds.
        Assert.Equal(["src/closed-1-1"], Assert.Single(session.Simulate().Invoices).Lines.SelectMany(l => l.Events));
    }

    [Fact]
    public void Compact_ingestion_counts_every_event_and_lists_only_rejected_and_duplicate_ones()
    {
        var input = string.Join("\n", RandomEvents(200, 3));
        using var full = new DryRunSession(SupportAgent, Clock);
        using var compact = DryRunSession.Compact(SupportAgent, Clock);
        var all = full.IngestAll(new StringReader(input));
        var listed = compact.IngestAll(new StringReader(input));

        Assert.Equal((all.Accepted, all.Duplicates, all.Rejected), (listed.Accepted, listed.Duplicates, listed.Rejected));
        Assert.True(listed.Accepted > 0 && listed.Duplicates > 0 && listed.Rejected > 0);
        Assert.Equal(all.Events.Where(e => e.Status != RulesBilling.Engine.Ingestion.EventStatus.Accepted), listed.Events);
    }

    [Fact]
    public void A_compact_session_refuses_another_rule_set_and_keeps_its_own()
    {
        using var session = DryRunSession.Compact(SupportAgent, Clock);
        var other = RuleSetCompiler.Compile([new SourceText("o.rules", """
            event support.ticket.closed {
              ticket_id: string
            }
            outcome t from support.ticket.closed {
              key ticket_id
            }
            """)]).RuleSet!;
        var error = Assert.Throws<InvalidOperationException>(() => session.Rules = other);
        Assert.Contains("another rule set", error.Message, StringComparison.Ordinal);
        session.Rules = SupportAgent;
        Assert.Same(SupportAgent, session.Rules);
    }

    /// <summary>Everything a simulation reports, as text: invoices in their JSON form, then the other findings.</summary>
    private static string Simulate(DryRunSession session, string input)
    {
        using (session)
        {
            Assert.True(session.IngestAll(new StringReader(input)).Succeeded);
            var result = session.Simulate();
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, InvoiceJson.Options))
            {
                writer.WriteStartArray();
                foreach (var invoice in result.Invoices) InvoiceJson.Write(writer, invoice);
                writer.WriteEndArray();
            }
            var text = new StringBuilder(Encoding.UTF8.GetString(buffer.ToArray()));
            foreach (var r in result.Rejected) text.Append('\n').Append(r);
            foreach (var u in result.Unbilled) text.Append('\n').Append(u);
            foreach (var e in result.Errors) text.Append('\n').Append(e);
            foreach (var g in result.Guards) text.Append('\n').Append(g.Customer).Append(g.PeriodFrom).Append(g.Finding.Guard).Append(g.Finding.Triggered);
            return text.ToString();
        }
    }
}
