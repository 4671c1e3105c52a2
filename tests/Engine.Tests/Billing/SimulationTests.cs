using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

public class SimulationTests
{
    private static readonly GuardRule TooMany = new("too-many", c => c.Count("resolved") > 1m, "count(resolved) > 1", GuardActionType.Alert, null, Here);

    private static readonly string[] Events =
    [
        ClosedJson("e1", "acme", "2026-03-02T10:00:00Z", "T-1"),
        ClosedJson("e2", "acme", "2026-03-03T10:00:00Z", "T-2"),
        ClosedJson("e3", "acme", "2026-04-03T10:00:00Z", "T-3"),
        ClosedJson("g1", "globex", "2026-04-09T10:00:00Z", "G-1"),
        """{"specversion":"1.0","id":"bad","source":"agent-a","type":"ticket.closed","subject":"acme","time":"2026-03-04T00:00:00Z","data":{"status":"closed"}}""",
    ];

    [Fact]
    public void Simulate_drafts_every_customer_period_spanned_by_the_events_with_guards_and_rejections()
    {
        var rules = Rules(plan: Standard with { Guards = [TooMany] });

        var result = UseCases.Simulate(rules, new StringReader(string.Join("\n", Events)), new TestClock(At("2026-06-01T00:00:00Z")));

        Assert.Equal(
        [
            ("acme", "2026-03-01", 105.00m),
            ("acme", "2026-04-01", 102.50m),
            ("globex", "2026-04-01", 102.50m),
        ], result.Invoices.Select(i => (i.Customer, i.PeriodFrom.ToString("yyyy-MM-dd"), i.Total)));
        Assert.All(result.Invoices, i => Assert.Equal(InvoiceStatus.Draft, i.Status));
        Assert.Equal([true, false, false], result.Guards.Select(g => g.Finding.Triggered));
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(("bad", EventStatus.Rejected, 5), (rejected.Id, rejected.Status, rejected.Line));
        Assert.Contains("ticket_id", rejected.Reason);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Simulate_streams_json_lines_without_reading_the_input_whole_and_keeps_line_numbers()
    {
        var input = "\n  \r\n" + string.Join("\n", Events);

        var result = UseCases.Simulate(Rules(), new LineOnlyReader(input), new TestClock(At("2026-06-01T00:00:00Z")));

        Assert.Equal(3, result.Invoices.Count);
        var rejected = Assert.Single(result.Rejected);
        // Two blank lines before the first event: the bad event is on line 7 of the input.
        Assert.Equal(("bad", 7), (rejected.Id, rejected.Line));
    }

    /// <summary>A reader that refuses to hand over its input whole (a large file would not fit in memory as one string).</summary>
    private sealed class LineOnlyReader(string text) : TextReader
    {
        private readonly StringReader _inner = new(text);

        public override int Peek() => _inner.Peek();

        public override int Read() => _inner.Read();

        public override string? ReadLine() => _inner.ReadLine();

        public override string ReadToEnd() => throw new InvalidOperationException("the input was read whole");
    }

    [Fact]
    public void Simulate_accepts_a_json_array_and_narrows_to_a_customer_and_range()
    {
        var rules = Rules();
        var input = "[" + string.Join(",", Events) + "]";

        var result = UseCases.Simulate(rules, new StringReader(input), new TestClock(At("2026-06-01T00:00:00Z")),
            from: At("2026-04-01T00:00:00Z"), to: At("2026-05-01T00:00:00Z"), customer: "acme");

        var invoice = Assert.Single(result.Invoices);
        Assert.Equal(("acme", At("2026-04-01T00:00:00Z"), 102.50m), (invoice.Customer, invoice.PeriodFrom, invoice.Total));
    }

    [Fact]
    public void Simulate_bills_base_fees_to_a_customer_without_events_when_the_range_is_given()
    {
        var result = UseCases.Simulate(Rules(), new StringReader(""), new TestClock(At("2026-06-01T00:00:00Z")),
            from: At("2026-01-01T00:00:00Z"), to: At("2026-03-01T00:00:00Z"), customer: "initech");

        Assert.Equal([100m, 100m], result.Invoices.Select(i => i.Total));
        Assert.Equal([At("2026-01-01T00:00:00Z"), At("2026-02-01T00:00:00Z")], result.Invoices.Select(i => i.PeriodFrom));
    }

    [Fact]
    public void Simulate_reports_events_no_contract_governs_instead_of_dropping_them()
    {
        // standard starts 2026-01-01 and names only acme: an earlier acme event and any globex event bill nowhere.
        var rules = Rules(contracts: [Contracts.Version("standard", 1, "2026-01-01", customers: ["acme"])]);
        var events = new[]
        {
            ClosedJson("e1", "acme", "2026-03-02T10:00:00Z", "T-1"),
            ClosedJson("old", "acme", "2025-12-30T10:00:00Z", "T-0"),
            ClosedJson("g1", "globex", "2026-03-09T10:00:00Z", "G-1"),
        };

        var result = UseCases.Simulate(rules, new StringReader(string.Join("\n", events)), new TestClock(At("2026-06-01T00:00:00Z")));

        Assert.Equal(
            [("acme", "agent-a/old", UnbilledReasons.NoContract), ("globex", "agent-a/g1", UnbilledReasons.NoContract)],
            result.Unbilled.Select(u => (u.Customer, u.EventId, u.Reason)));
        Assert.Equal("no contract names customer 'globex' and there is no default contract", result.Unbilled[1].Detail);
        Assert.True(result.HasProblems);
        // acme's span of events still reaches back into the contract's first periods (base fees only).
        Assert.Equal(["2026-01-01", "2026-02-01", "2026-03-01"], result.Invoices.Select(i => i.PeriodFrom.ToString("yyyy-MM-dd")));
        Assert.All(result.Invoices, i => Assert.Equal("acme", i.Customer));
    }

    [Fact]
    public void Simulate_refuses_a_customer_without_events_or_contract_as_a_likely_typo()
    {
        var error = Assert.Throws<BillingException>(() => UseCases.Simulate(
            Rules(), new StringReader(string.Join("\n", Events)), new TestClock(At("2026-06-01T00:00:00Z")), customer: "acmee"));

        Assert.Equal("customer 'acmee' (did you mean 'acme'?) has no events in the input (give --from and --to to bill a customer without usage); customers with events: acme, globex", error.Message);
    }

    [Fact]
    public void Simulate_reports_rating_errors_once_and_a_malformed_array_as_a_clear_error()
    {
        var rules = Rules(Resolved with { Quantity = e => e.Id == "e2" ? -3m : 1m });

        var result = UseCases.Simulate(rules, new StringReader(string.Join("\n", Events)), new TestClock(At("2026-06-01T00:00:00Z")));
        var error = Assert.Throws<BillingException>(() =>
            UseCases.Simulate(rules, new StringReader("[{\"id\": 1,"), new TestClock(At("2026-06-01T00:00:00Z"))));

        Assert.Equal(("RB0903", "agent-a/e2"), (Assert.Single(result.Errors).Code, result.Errors[0].EventId));
        Assert.Contains("malformed JSON", error.Message);
    }
}
