using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Host.Cli;

/// <summary>
/// <c>simulate --compare</c>: what a rule change does to every invoice, like <c>terraform plan</c>. Invoices are
/// matched by (customer, period), lines by id (the id is derived from customer, contract, period, segment and rule,
/// so a repriced rule keeps its line id). <c>+</c> only under the candidate, <c>-</c> only under the baseline,
/// <c>~</c> a different amount or quantity. Unchanged invoices and lines are counted, not listed.
/// </summary>
internal sealed record PlanDiff(IReadOnlyList<InvoiceDiff> Invoices, int Unchanged, IReadOnlyList<CurrencyTotals> Totals)
{
    public bool HasChanges => Invoices.Count > 0;

    public static PlanDiff Between(SimulationResult baseline, SimulationResult candidate)
    {
        // A period with thresholds has several documents (docs/dsl-spec.md §10.9): each threshold invoice is matched by its
        // index, after the period's invoice (-1).
        static (string, DateTimeOffset, DateTimeOffset, int) Key(Invoice i) => (i.Customer, i.PeriodFrom, i.PeriodTo, i.Threshold?.Index ?? -1);
        var before = baseline.Invoices.ToDictionary(Key);
        var after = candidate.Invoices.ToDictionary(Key);
        var keys = before.Keys.Union(after.Keys)
            .OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2).ThenBy(k => k.Item3).ThenBy(k => k.Item4);

        var diffs = new List<InvoiceDiff>();
        var unchanged = 0;
        foreach (var key in keys)
        {
            var diff = InvoiceDiff.Of(before.GetValueOrDefault(key), after.GetValueOrDefault(key));
            if (diff is null) unchanged++;
            else diffs.Add(diff);
        }

        var totals = baseline.Invoices.Select(i => (i.Currency, Before: i.Total, After: 0m))
            .Concat(candidate.Invoices.Select(i => (i.Currency, Before: 0m, After: i.Total)))
            .GroupBy(t => t.Currency)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CurrencyTotals(g.Key, g.Sum(t => t.Before), g.Sum(t => t.After)))
            .ToList();
        return new PlanDiff(diffs, unchanged, totals);
    }
}

internal enum Change { Added, Removed, Changed }

/// <summary>One invoice that differs: its totals under each rule set (null where it does not exist) and its differing lines.</summary>
internal sealed record InvoiceDiff(
    Change Change, string Customer, string Contract, string Currency, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo,
    decimal? Before, decimal? After, IReadOnlyList<LineDiff> Lines, int UnchangedLines)
{
    public static InvoiceDiff? Of(Invoice? before, Invoice? after)
    {
        var any = (after ?? before)!;
        var beforeLines = before?.Lines.ToDictionary(l => l.Id, StringComparer.Ordinal) ?? [];
        var afterLines = after?.Lines.ToDictionary(l => l.Id, StringComparer.Ordinal) ?? [];
        // Baseline order, then lines only the candidate has, in its order.
        var ids = (before?.Lines.Select(l => l.Id) ?? []).Concat((after?.Lines.Select(l => l.Id) ?? []).Where(id => !beforeLines.ContainsKey(id)));
        var lines = new List<LineDiff>();
        var unchangedLines = 0;
        foreach (var id in ids)
        {
            var (b, a) = (beforeLines.GetValueOrDefault(id), afterLines.GetValueOrDefault(id));
            if (b is not null && a is not null && b.Amount == a.Amount && b.Quantity == a.Quantity)
            {
                unchangedLines++;
                continue;
            }
            lines.Add(new LineDiff(b is null ? Change.Added : a is null ? Change.Removed : Change.Changed, id,
                (a ?? b)!.Description, b?.Quantity, a?.Quantity, b?.Amount, a?.Amount));
        }
        var sameTotals = before is not null && after is not null && before.Total == after.Total && before.Subtotal == after.Subtotal;
        if (lines.Count == 0 && sameTotals && before!.Currency == after!.Currency) return null;
        var change = before is null ? Change.Added : after is null ? Change.Removed : Change.Changed;
        return new InvoiceDiff(change, any.Customer, any.Contract, any.Currency, any.PeriodFrom, any.PeriodTo,
            before?.Total, after?.Total, lines, unchangedLines);
    }
}

internal sealed record LineDiff(
    Change Change, string Id, string Description, decimal? QuantityBefore, decimal? QuantityAfter, decimal? Before, decimal? After);

internal sealed record CurrencyTotals(string Currency, decimal Before, decimal After);
