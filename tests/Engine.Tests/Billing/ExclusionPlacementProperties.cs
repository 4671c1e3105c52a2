using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>
/// Issue 12: an excluded event is explained in exactly one place of a simulation — one invoice, one line, one
/// reason — even when the outcome it duplicates is billed in another segment or period. Issue 13: also when the
/// outcome has no charge line in its segment's pricing (the exclusion then goes on the invoice itself), and no
/// event of an unheld outcome is dropped: each is counted on one line or excluded in one place.
/// </summary>
public class ExclusionPlacementProperties
{
    /// <summary>Keyed tickets with a 7-day hold, a condition, and a contract v2 taking effect mid-January.</summary>
    private static readonly CompiledRuleSet Rules = Compile("""
        event ticket.closed {
          ticket_id: string
          status: string
        }
        event ticket.reopened {
          ticket_id: string
        }
        event ticket.escalated {
          ticket_id: string
          status: string
        }
        outcome escalation from ticket.escalated {
          when status == "closed"
          key ticket_id
          dimensions { ticket: ticket_id }
        }
        outcome resolved from ticket.closed {
          when status == "closed"
          key ticket_id
          hold 7d reversed by ticket.reopened on ticket_id
        }
        pricing v1 {
          base 10 USD
          charge resolved { unit 1 USD }
        }
        pricing v2 {
          base 10 USD
          charge resolved { unit 2 USD }
          charge escalation where (ticket ?? "") == "T-1" { unit 5 USD }
        }
        contract c version 1 effective 2026-01-01 {
          customers default
          pricing v1
          currency USD
        }
        contract c version 2 effective 2026-01-16 {
          customers default
          pricing v2
          currency USD
        }
        """);

    private static CompiledRuleSet Compile(string text)
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("t.rules", text)]);
        Assert.True(compilation.Success, compilation.Render());
        return compilation.RuleSet!;
    }

    private static string Event(int n, string type, string customer, DateTimeOffset time, string ticket, string status) =>
        $$$"""{"specversion":"1.0","id":"e{{{n}}}","source":"s","type":"{{{type}}}","subject":"{{{customer}}}","time":"{{{time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}}","data":{"ticket_id":"{{{ticket}}}","status":"{{{status}}}"}}""";

    private static SimulationResult Simulate(IEnumerable<string> events) =>
        UseCases.Simulate(Rules, new StringReader(string.Join("\n", events)), new TestClock(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)));

    /// <summary>Every exclusion of the simulation: on a line, or on the invoice itself (line "").</summary>
    private static List<(string Customer, string Invoice, string Line, string Id, string Reason)> Exclusions(SimulationResult result) =>
        result.Invoices.SelectMany(i => i.Lines.SelectMany(l => l.Excluded.Select(x => (i.Customer, i.Id, l.Id, x.Id, x.Reason)))
            .Concat(i.Excluded.Select(x => (i.Customer, i.Id, "", x.Id, x.Reason)))).ToList();

    private static readonly Gen<(string Type, string Customer, int Hours, string Ticket, string Status)> OneEvent =
        from type in Gen.Elements("ticket.closed", "ticket.closed", "ticket.reopened", "ticket.escalated")
        from customer in Gen.Elements("acme", "globex")
        from hours in Gen.Choose(0, 90 * 24)
        from ticket in Gen.Elements("T-1", "T-2", "T-3")
        from status in Gen.Elements("closed", "closed", "open")
        select (type, customer, hours, ticket, status);

    private static readonly Gen<string[]> Streams =
        from count in Gen.Choose(1, 25)
        from parts in OneEvent.ArrayOf(count)
        select parts.Select((p, n) => Event(n, p.Type, p.Customer,
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(p.Hours), p.Ticket, p.Status)).ToArray();

    [Property(MaxTest = 80)]
    public Property Each_excluded_event_appears_exactly_once_across_all_invoices_of_a_simulation() =>
        Prop.ForAll(Streams.ToArbitrary(), events =>
        {
            var exclusions = Exclusions(Simulate(events));
            return exclusions.GroupBy(x => x.Id).All(g => g.Count() == 1);
        });

    [Property(MaxTest = 80)]
    public Property Every_escalation_is_counted_on_one_line_or_excluded_in_one_place_even_without_a_charge_line() =>
        Prop.ForAll(Streams.ToArbitrary(), events =>
        {
            var result = Simulate(events);
            var escalations = events.Where(e => e.Contains("\"ticket.escalated\"", StringComparison.Ordinal))
                .Select(e => "s/" + e.Split("\"id\":\"")[1].Split('"')[0]).ToList();
            var counted = result.Invoices.SelectMany(i => i.Lines.SelectMany(l => l.Events)).ToList();
            var excluded = Exclusions(result).Select(x => x.Id).ToList();
            return escalations.All(id => counted.Count(c => c == id) + excluded.Count(x => x == id) == 1);
        });

    [Fact]
    public void An_outcome_the_pricing_does_not_charge_is_excluded_on_the_invoice_itself_once()
    {
        var jan = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        var result = Simulate(
        [
            // January (v1 charges no escalation at all).
            Event(1, "ticket.escalated", "acme", jan, "T-2", "closed"),
            Event(2, "ticket.escalated", "acme", jan.AddHours(1), "T-2", "closed"),
            Event(3, "ticket.escalated", "acme", jan.AddHours(2), "T-3", "open"),
            // February (v2): T-1 has a charge line, T-3 matches no charge of it.
            Event(4, "ticket.escalated", "acme", jan.AddDays(30), "T-1", "closed"),
            Event(5, "ticket.escalated", "acme", jan.AddDays(30), "T-3", "closed"),
        ]);

        var january = result.Invoices.Single(i => i.PeriodFrom.Month == 1);
        Assert.Equal(
            [("escalation", "s/e1", ExclusionReasons.NoMatchingCharge), ("escalation", "s/e2", ExclusionReasons.DuplicateKey), ("escalation", "s/e3", ExclusionReasons.FailedCondition)],
            january.Excluded.Select(x => (x.Outcome, x.Id, x.Reason)));
        Assert.Contains("\"excluded\": [\n    {\n      \"outcome\": \"escalation\"", Engine.Invoicing.InvoiceJson.Serialize(january), StringComparison.Ordinal);
        var february = result.Invoices.Single(i => i.PeriodFrom.Month == 2);
        Assert.Empty(february.Excluded);
        var line = february.Lines.Single(l => l.Rule.StartsWith("escalation", StringComparison.Ordinal));
        Assert.Equal(["s/e4"], line.Events);
        Assert.Equal([("s/e5", ExclusionReasons.NoMatchingCharge)], line.Excluded.Select(x => (x.Id, x.Reason)));
        // An invoice without such exclusions keeps its JSON: no invoice-level "excluded" key at all.
        Assert.DoesNotContain("\n  \"excluded\"", Engine.Invoicing.InvoiceJson.Serialize(february), StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_in_february_of_a_january_outcome_is_listed_once_on_february_only()
    {
        var jan = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        var result = Simulate(
        [
            Event(1, "ticket.closed", "acme", jan, "T-1", "closed"),
            Event(2, "ticket.closed", "acme", jan.AddDays(20), "T-1", "closed"),
            Event(3, "ticket.closed", "acme", jan.AddDays(30), "T-1", "closed"),
        ]);

        var exclusions = Exclusions(result);
        Assert.Equal(["s/e2", "s/e3"], exclusions.Select(x => x.Id));
        Assert.All(exclusions, x => Assert.Equal(ExclusionReasons.DuplicateKey, x.Reason));
        // e2 (Jan 25, segment of v2) is on January's invoice, e3 (Feb 4) on February's.
        Assert.Equal(
            [("2026-01-01", "s/e2"), ("2026-02-01", "s/e3")],
            result.Invoices.SelectMany(i => i.Lines.SelectMany(l => l.Excluded.Select(x => (i.PeriodFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), x.Id)))));
    }
}
