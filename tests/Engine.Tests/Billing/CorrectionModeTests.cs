using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Tests.Billing.EngineFixture;
using static RulesBilling.Engine.Tests.Outcomes.TicketRules;

namespace RulesBilling.Engine.Tests.Billing;

/// <summary>
/// <c>corrections net</c> (default) and <c>corrections reverse_and_rebill</c> (docs/dsl-spec.md §10.8): a late event
/// moves a finalized period's volume tier from 10 × 15.00 = 150.00 to 16 × 5.00 = 80.00.
/// </summary>
public sealed class CorrectionModeTests
{
    private static readonly DateTimeOffset March = At("2026-03-01T00:00:00Z");

    private static CompiledRuleSet Rules(string corrections)
    {
        var text = $$"""
            event job.done {
              job_id: string
              units: integer
            }

            outcome job from job.done {
              key job_id
              quantity units
            }

            pricing jobs {
              charge job {
                volume { up to 10 at 15 USD; rest at 5 USD }
              }
            }

            contract acme_jobs version 1 effective 2026-01-01 {
              customers "acme"
              pricing jobs
              currency USD
              period monthly
              {{corrections}}
            }
            """;
        var compilation = RuleSetCompiler.Compile([new SourceText("jobs.rules", text)]);
        Assert.Equal("", compilation.Render());
        return compilation.RuleSet!;
    }

    private static StoredEvent Job(string id, string time, int units) =>
        Stored(T, "agent", id, "job.done", "acme", time, new Dictionary<string, object?> { ["job_id"] = id, ["units"] = units });

    private static (Invoice Original, IReadOnlyList<Invoice> Issued, IReadOnlyList<Invoice> SecondRun, InMemoryBillingStore Store) LateTierChange(string corrections)
    {
        var store = new InMemoryBillingStore();
        Append(store, Job("j1", "2026-03-05T00:00:00Z", 4), Job("j2", "2026-03-12T00:00:00Z", 6));
        var (engine, clock) = NewEngine(store, Rules(corrections), "2026-04-02T00:00:00Z");
        var original = engine.Finalize(T, "acme", March);
        clock.Now = At("2026-04-05T00:00:00Z");
        Append(store, Job("late", "2026-03-30T00:00:00Z", 6));
        return (original, engine.Corrections(T, "acme"), engine.Corrections(T, "acme"), store);
    }

    [Fact]
    public void Net_corrections_credit_the_difference_on_one_line()
    {
        var (original, issued, secondRun, store) = LateTierChange("");
        using var _ = store;

        Assert.Equal(150.00m, original.Total);
        var note = Assert.Single(issued);
        Assert.Equal(InvoiceKind.CreditNote, note.Kind);
        var line = Assert.Single(note.Lines);
        Assert.Equal((LineKind.Correction, 6m, -70.00m), (line.Kind, line.Quantity, line.Amount));
        Assert.Empty(secondRun);
    }

    [Fact]
    public void Reverse_and_rebill_reverses_the_billed_line_and_bills_the_new_one()
    {
        var (original, issued, secondRun, store) = LateTierChange("corrections reverse_and_rebill");
        using var _ = store;

        Assert.Equal(150.00m, original.Total);
        var chargeId = Assert.Single(original.Lines).Id;
        Assert.Equal([InvoiceKind.CreditNote, InvoiceKind.Adjustment], issued.Select(d => d.Kind));

        var reversal = Assert.Single(issued[0].Lines);
        Assert.Equal((chargeId, LineKind.Correction, -10m, -150.00m), (reversal.Id, reversal.Kind, reversal.Quantity, reversal.Amount));
        Assert.StartsWith("Reversal: ", reversal.Description, StringComparison.Ordinal);
        Assert.Equal([new LineStep("reversal", "reverses billed 150.00 USD", null, null, -150.00m)], reversal.Breakdown);
        Assert.Equal(-150.00m, issued[0].Total);

        var rebill = Assert.Single(issued[1].Lines);
        Assert.Equal((chargeId, LineKind.Correction, 16m, 5m, 80.00m), (rebill.Id, rebill.Kind, rebill.Quantity, rebill.UnitPrice, rebill.Amount));
        Assert.StartsWith("Rebill: ", rebill.Description, StringComparison.Ordinal);
        Assert.Equal(["agent/j1", "agent/j2", "agent/late"], rebill.Events);
        Assert.Equal(80.00m, issued[1].Total);

        // Billed so far for the line is the re-rated amount, so nothing is left to correct.
        Assert.Equal(80.00m, original.Total + issued.Sum(d => d.Total));
        Assert.Empty(secondRun);
    }

    [Fact]
    public void The_mode_is_compiled_onto_the_contract_version()
    {
        Assert.Equal(CorrectionMode.Net, Assert.Single(Rules("").Contracts).Corrections);
        Assert.Equal(CorrectionMode.Net, Assert.Single(Rules("corrections net").Contracts).Corrections);
        Assert.Equal(CorrectionMode.ReverseAndRebill, Assert.Single(Rules("corrections reverse_and_rebill").Contracts).Corrections);
    }

    [Fact]
    public void An_unknown_mode_is_RB0213_with_a_suggestion()
    {
        var text = "event a.b {\n  id: string\n}\n\noutcome o from a.b {\n  key id\n}\n\npricing p {\n  charge o {\n    unit 1 USD\n  }\n}\n\ncontract c version 1 effective 2026-01-01 {\n  customers \"x\"\n  pricing p\n  currency USD\n  period monthly\n  corrections reverse_rebill\n}\n";
        var rendered = RuleSetCompiler.Compile([new SourceText("c.rules", text)]).Render();
        Assert.StartsWith(
            "c.rules:20:15: error RB0213: 'corrections reverse_rebill' is not a correction mode (did you mean 'reverse_and_rebill'?); use 'corrections net' or 'corrections reverse_and_rebill'\n",
            rendered, StringComparison.Ordinal);
    }
}
