using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Costs;

/// <summary>Sums cost rules per (customer, outcome, currency) over the events whose time falls in a range.</summary>
internal static class CostAggregator
{
    public static CostAggregation Aggregate(CompiledRuleSet rules, BoundEvents events, BillingPeriodRange range)
    {
        var totals = new Dictionary<(string Customer, string Outcome, string Currency), (decimal Amount, int Events)>();
        var errors = new List<RatingError>();

        foreach (var rule in rules.Costs)
        {
            foreach (var e in events.Events)
            {
                if (e.Type != rule.EventType || !range.Contains(e.Time)) continue;
                if (rule.Condition is { } condition)
                {
                    if (!Evaluate(() => condition(e), e, rule, errors, out var applies)) continue;
                    if (!applies) continue;
                }
                if (!Evaluate(() => rule.Amount(e), e, rule, errors, out var amount)) continue;

                // "" stands for "no outcome" inside the key so the tuple stays non-nullable.
                var key = (e.Subject, rule.Outcome ?? "", rule.Currency);
                totals.TryGetValue(key, out var sum);
                if (!Evaluate(() => sum.Amount + amount, e, rule, errors, out var added)) continue;
                totals[key] = (added, sum.Events + 1);
            }
        }

        var list = totals
            .Select(t => new CostTotal(t.Key.Customer, t.Key.Outcome == "" ? null : t.Key.Outcome, t.Key.Currency, t.Value.Amount, t.Value.Events))
            .OrderBy(t => t.Customer, StringComparer.Ordinal)
            .ThenBy(t => t.Outcome ?? "", StringComparer.Ordinal)
            .ThenBy(t => t.Currency, StringComparer.Ordinal)
            .ToList();
        errors.Sort((a, b) => string.CompareOrdinal(a.Customer + "\n" + a.EventId + "\n" + a.Rule, b.Customer + "\n" + b.EventId + "\n" + b.Rule));
        return new CostAggregation(list, errors);
    }

    private static bool Evaluate<T>(Func<T> evaluate, RuleEvent e, CostRule rule, List<RatingError> errors, out T result)
    {
        if (RuleEvaluation.TryEvaluate(evaluate, e, rule.Name, rule.Location, out result, out var error)) return true;
        errors.Add(error!);
        return false;
    }
}
