using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Billing.Contracts;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>Explicit, effective-dated contract assignments and how <see cref="ContractResolver"/> ranks them.</summary>
public class ContractAssignmentTests
{
    private static readonly IReadOnlyList<ContractVersion> Book =
    [
        Version("standard", 1, "2026-01-01"),
        Version("standard", 2, "2026-05-01"),
        Version("gold", 1, "2026-01-01", customers: ["vip"]),
        Version("gold", 2, "2026-06-01", until: "2026-09-01", customers: ["vip"]),
    ];

    private static (string, int)? Key(ContractVersion? v) => v is null ? null : (v.Contract, v.Version);

    [Fact]
    public void An_assignment_wins_over_the_default_and_over_explicit_customer_lists_from_its_date()
    {
        IReadOnlyList<ContractAssignment> assignments =
        [
            new("acme", "gold", null, new DateOnly(2026, 3, 1)),
            new("vip", "standard", null, new DateOnly(2026, 3, 1)),
        ];

        Assert.Equal(("standard", 1), Key(ContractResolver.Resolve(Book, "acme", At("2026-02-28T23:59:59Z"), assignments)));
        Assert.Equal(("gold", 1), Key(ContractResolver.Resolve(Book, "acme", At("2026-03-01T00:00:00Z"), assignments)));
        Assert.Equal(("gold", 1), Key(ContractResolver.Resolve(Book, "vip", At("2026-02-01T00:00:00Z"), assignments)));
        Assert.Equal(("standard", 1), Key(ContractResolver.Resolve(Book, "vip", At("2026-03-01T00:00:00Z"), assignments)));
        // An assignment follows the contract's versions unless it pins one.
        Assert.Equal(("gold", 2), Key(ContractResolver.Resolve(Book, "acme", At("2026-07-01T00:00:00Z"), assignments)));
        Assert.Equal(("standard", 2), Key(ContractResolver.Resolve(Book, "globex", At("2026-07-01T00:00:00Z"), assignments)));
    }

    [Fact]
    public void The_latest_assignment_effective_at_an_instant_wins_and_outside_the_assigned_contract_the_rules_decide()
    {
        IReadOnlyList<ContractAssignment> assignments =
        [
            new("acme", "gold", 2, new DateOnly(2026, 2, 1)),
            new("acme", "standard", 1, new DateOnly(2026, 10, 1)),
        ];

        // Pinned to gold v2, which is in force only Jun 1 – Sep 1: before and after it the rule files decide.
        Assert.Equal(("standard", 1), Key(ContractResolver.Resolve(Book, "acme", At("2026-03-01T00:00:00Z"), assignments)));
        Assert.Equal(("gold", 2), Key(ContractResolver.Resolve(Book, "acme", At("2026-06-15T00:00:00Z"), assignments)));
        Assert.Equal(("standard", 2), Key(ContractResolver.Resolve(Book, "acme", At("2026-09-15T00:00:00Z"), assignments)));
        // Pinned to standard v1, which stopped being in force on May 1: the pin cannot revive it.
        Assert.Equal(("standard", 2), Key(ContractResolver.Resolve(Book, "acme", At("2026-10-15T00:00:00Z"), assignments)));
        Assert.Equal(("standard", 1), Key(ContractResolver.Resolve(Book, "acme", At("2026-03-01T00:00:00Z"))));
    }

    [Fact]
    public void A_mid_period_assignment_gives_a_partial_period_of_each_contract()
    {
        IReadOnlyList<ContractAssignment> assignments = [new("acme", "gold", null, new DateOnly(2026, 3, 11))];

        var before = ContractResolver.PeriodAt(Book, "acme", At("2026-03-05T00:00:00Z"), assignments)!;
        var after = ContractResolver.PeriodAt(Book, "acme", At("2026-03-20T00:00:00Z"), assignments)!;
        var periods = ContractResolver.PeriodsBetween(Book, "acme", At("2026-03-01T00:00:00Z"), At("2026-04-01T00:00:00Z"), assignments);

        Assert.Equal(("standard", At("2026-03-01T00:00:00Z"), At("2026-03-11T00:00:00Z"), 10m / 31m),
            (before.Contract, before.Segments.Single().Range.From, before.Segments.Single().Range.To, before.Segments.Single().Fraction));
        Assert.Equal(("gold", At("2026-03-11T00:00:00Z"), At("2026-04-01T00:00:00Z"), 21m / 31m),
            (after.Contract, after.Segments.Single().Range.From, after.Segments.Single().Range.To, after.Segments.Single().Fraction));
        Assert.Equal(["standard", "gold"], periods.Select(p => p.Contract));
    }

    [Fact]
    public void Assignments_of_other_customers_change_nothing()
    {
        IReadOnlyList<ContractAssignment> assignments = [new("globex", "gold", null, new DateOnly(2026, 3, 11))];

        var period = ContractResolver.PeriodAt(Book, "acme", At("2026-03-20T00:00:00Z"), assignments)!;

        Assert.Equal(("standard", 1m), (period.Contract, Assert.Single(period.Segments).Fraction));
    }

    [Fact]
    public void The_billing_engine_rates_under_the_assignments_it_is_given()
    {
        using var store = new InMemoryBillingStore();
        Append(store, ClosedEvent("e1", "acme", "2026-03-02T10:00:00Z", "T-1"));
        var gold = Version("gold", 1, "2026-01-01", customers: ["vip"]);
        var rules = Rules(contracts: [StandardV1, gold]);
        var clock = new TestClock(At("2026-04-10T00:00:00Z"));
        IReadOnlyList<ContractAssignment> acmeOnGold = [new("acme", "gold", null, new DateOnly(2026, 1, 1))];
        var engine = new UseCases(store, new FixedRuleSet(rules), clock, assignments: new OnlyAcme(acmeOnGold));

        var invoice = engine.Finalize(T, "acme", At("2026-03-01T00:00:00Z"));

        Assert.Equal(("gold", InvoiceStatus.Finalized), (invoice.Contract, invoice.Status));
        // The same store without assignments: the rule files put acme on the default contract.
        Assert.Equal("standard", Assert.Single(new UseCases(store, new FixedRuleSet(rules), clock).Preview(T, "acme", At("2026-03-15T00:00:00Z")).Invoices).Contract);
    }

    /// <summary>Assignments for acme of tenant <see cref="T"/> only, so the test sees the engine ask with both names.</summary>
    private sealed class OnlyAcme(IReadOnlyList<ContractAssignment> assignments) : IContractAssignmentSource
    {
        public IReadOnlyList<ContractAssignment> AssignmentsOf(string tenant, string customer) => tenant == T && customer == "acme" ? assignments : [];
    }
}
