using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Outcomes;

namespace RulesBilling.Engine.Invoicing;

/// <summary>
/// Tier positions across the segments of one invoice (docs/dsl-spec.md §10.5): how many billed units of each charge
/// the earlier segments used, how many the whole period bills, and which tiers' flat fees the earlier segments billed. A charge is the same across versions when its
/// outcome and filter (as written) are.
/// </summary>
internal sealed class TierLedger
{
    private readonly Dictionary<string, decimal> used = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> period = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<decimal>> flats = new(StringComparer.Ordinal);

    /// <summary>Counts, per charge, the billed units (after free units) of every segment of the request.</summary>
    public TierLedger(InvoiceRequest request)
    {
        foreach (var segment in request.Segments)
        {
            var plan = segment.Plan;
            var quantities = new decimal[plan.Charges.Count];
            foreach (var outcome in segment.Outcomes.Where(o => o.State == OutcomeState.Billable))
            {
                for (var i = 0; i < plan.Charges.Count; i++)
                {
                    var rule = plan.Charges[i];
                    if (rule.Outcome != outcome.Outcome || (rule.Filter is not null && !rule.Filter(outcome.Dimensions))) continue;
                    quantities[i] = Add(rule, quantities[i], outcome.Quantity);
                    break;
                }
            }
            for (var i = 0; i < plan.Charges.Count; i++)
            {
                var key = Key(plan.Charges[i]);
                period[key] = Add(plan.Charges[i], period.GetValueOrDefault(key), Math.Max(0m, quantities[i] - plan.Charges[i].FreeUnits));
            }
        }
    }

    // The ledger sums before any charge is rated, so an overflowing quantity must surface here as the same rating
    // error the charge itself would raise, not as an unhandled OverflowException.
    private static decimal Add(ChargeRule rule, decimal left, decimal right)
    {
        try
        {
            return left + right;
        }
        catch (OverflowException)
        {
            throw new RuleEvaluationException(DiagnosticCatalogue.Overflow.Code, $"the quantity of charge '{rule.Outcome}' overflows the decimal range", rule.Location);
        }
    }

    public static string Key(ChargeRule rule) => rule.Outcome + "|" + (rule.FilterText is null ? "" : string.Concat(rule.FilterText.Where(c => !char.IsWhiteSpace(c))));

    /// <summary>Billed units of this charge in the invoice's earlier segments.</summary>
    public decimal Offset(ChargeRule rule) => used.GetValueOrDefault(Key(rule));

    /// <summary>Billed units of this charge over the whole period (all segments).</summary>
    public decimal PeriodUnits(ChargeRule rule) => period.GetValueOrDefault(Key(rule));

    /// <summary>Where the tiers start whose flat fee this charge's earlier segments billed (§9.5.1).</summary>
    public IReadOnlySet<decimal> Charged(ChargeRule rule) => flats.GetValueOrDefault(Key(rule)) ?? [];

    public void Record(ChargeRule rule, decimal billed, IEnumerable<decimal> flatsBilled)
    {
        used[Key(rule)] = Add(rule, Offset(rule), billed);
        var key = Key(rule);
        if (!flats.TryGetValue(key, out var set)) flats[key] = set = [];
        set.UnionWith(flatsBilled);
    }
}
