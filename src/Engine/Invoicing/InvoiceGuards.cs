using System.Globalization;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// Evaluates guards once per invoice, over all its segments (dsl-spec §9.10): one finding per guard, whatever the
/// number of contract versions in the period. The guards are those of every pricing on the invoice, by name; when
/// two versions declare a guard of the same name, the later version's definition is evaluated. A triggered
/// <c>cap P</c> caps the invoice's usage at P, prorated by the share of the period under versions declaring the guard,
/// with the guard-cap line on the latest such segment.
/// </summary>
internal static class InvoiceGuards
{
    public static (IReadOnlyList<GuardFinding> Findings, bool Held) Evaluate(
        InvoiceRequest request, IReadOnlyList<(SegmentAssembler Assembler, SegmentResult Result)> segments)
    {
        var currency = request.Currency;
        var revenue = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (_, result) in segments)
            foreach (var (outcome, amount) in result.RevenueByOutcome)
                revenue[outcome] = revenue.GetValueOrDefault(outcome) + amount;
        var billable = segments.SelectMany(s => s.Result.Billable).ToList();
        var costs = segments.SelectMany(s => s.Assembler.Segment.Costs)
            .GroupBy(c => (c.Outcome, c.Currency))
            .Select(g => new SegmentCost(g.Key.Outcome, g.Key.Currency, g.Sum(c => c.Amount)))
            .ToList();
        var usage = segments.Sum(s => s.Result.Usage);
        var periodTicks = (request.PeriodTo - request.PeriodFrom).Ticks;

        var findings = new List<GuardFinding>();
        var held = false;
        foreach (var (guard, index, owner) in GuardsOf(segments))
        {
            var context = new InvoiceGuardContext(revenue, billable, costs, currency, guard);
            var triggered = guard.Condition(context);
            var action = guard.Action switch
            {
                GuardActionType.Alert => "alert",
                GuardActionType.Hold => "hold",
                _ => $"cap {CurrencyMath.FormatPrice(Cap(guard, currency), currency)} {currency}",
            };
            findings.Add(new GuardFinding(guard.Name, guard.ConditionText, action, triggered, Detail(context, currency, segments.Count))
            {
                Label = guard.Label,
                Description = guard.Description,
            });
            if (!triggered) continue;
            if (guard.Action == GuardActionType.Hold) held = true;
            if (guard.Action != GuardActionType.Cap) continue;

            var declaring = segments.Where(s => s.Assembler.Segment.Plan.Guards.Any(g => g.Name == guard.Name))
                .Sum(s => (s.Assembler.Segment.To - s.Assembler.Segment.From).Ticks);
            var limit = declaring == periodTicks ? Cap(guard, currency) : Cap(guard, currency) * declaring / periodTicks;
            var note = declaring == periodTicks ? null : $"prorated {Duration(declaring)} of {Duration(periodTicks)}";
            if (usage > limit) usage += owner.AddGuardCap(guard, index, limit - usage, note);
        }
        return (findings, held);
    }

    /// <summary>Guards by name, latest segment first (its definition wins), each with its index in its plan and its segment.</summary>
    private static List<(GuardRule Guard, int Index, SegmentAssembler Owner)> GuardsOf(
        IReadOnlyList<(SegmentAssembler Assembler, SegmentResult Result)> segments)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var guards = new List<(GuardRule, int, SegmentAssembler)>();
        foreach (var (assembler, _) in segments.Reverse())
        {
            var plan = assembler.Segment.Plan;
            for (var g = 0; g < plan.Guards.Count; g++)
                if (seen.Add(plan.Guards[g].Name)) guards.Add((plan.Guards[g], g, assembler));
        }
        return guards;
    }

    private static decimal Cap(GuardRule guard, string currency) =>
        guard.CapAmount is { } cap
            ? cap.In(currency)
            : throw new InvalidOperationException($"guard '{guard.Name}' caps without an amount; the checker should have refused this rule set");

    private static string Detail(InvoiceGuardContext context, string currency, int segments)
    {
        var detail = $"revenue {CurrencyMath.Format(context.Revenue(null), currency)} {currency}, count {Quantity(context.Count(null))}";
        if (context.CostReadable)
        {
            var margin = Math.Round(context.Margin(null) * 100m, 2, MidpointRounding.AwayFromZero);
            detail += $", cost {CurrencyMath.Format(CurrencyMath.RoundHalfUp(context.Cost(null), currency), currency)} {currency}, margin {Quantity(margin)}%";
        }
        return segments > 1 ? $"{detail} (whole invoice, {segments} segments)" : detail;
    }

    private static string Quantity(decimal value) => CurrencyMath.Normalize(value).ToString(CultureInfo.InvariantCulture);

    private static string Duration(long ticks) => ticks % TimeSpan.TicksPerDay == 0
        ? $"{ticks / TimeSpan.TicksPerDay}d"
        : TimeSpan.FromTicks(ticks).ToString("c", CultureInfo.InvariantCulture);
}
