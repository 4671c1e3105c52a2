using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Binding;

// The contract's `thresholds` clause (docs/dsl-spec.md §10.9).
internal sealed partial class RuleSetBinder
{
    /// <summary>
    /// Every amount in the contract currency (RB0422), positive and a whole number of its minor units (RB0420), the
    /// listed ones strictly ascending (RB0421). A threshold invoice bills rounded lines, so a threshold finer than the
    /// currency could never be met exactly.
    /// </summary>
    private ThresholdSchedule? BindThresholds(ThresholdsItem item, string currency, string label, SourceText source, ref bool valid)
    {
        var ok = true;
        MoneyLiteral? previous = null;
        foreach (var amount in item.Amounts)
        {
            ok &= CheckThresholdAmount(amount, "threshold", currency, label, source);
            if (previous is not null && amount.Currency == previous.Currency && amount.Amount <= previous.Amount)
            {
                Error(source, amount.Span, DiagnosticCodes.ThresholdOrder,
                    $"threshold {Show(amount.Amount)} {amount.Currency} is not above the threshold before it ({Show(previous.Amount)} {previous.Currency}); list thresholds in ascending order");
                ok = false;
            }
            previous = amount;
        }
        if (item.Every is { } every) ok &= CheckThresholdAmount(every, "the 'every' step", currency, label, source);
        var basis = ThresholdBasis.Usage;
        switch (item.Basis?.Text)
        {
            case null or "usage": break;
            case "total": basis = ThresholdBasis.Total; break;
            default:
                Error(source, item.Basis.Span, DiagnosticCodes.BadThresholdBasis,
                    $"'on {item.Basis.Text}' is not what thresholds count{NameSuggestions.DidYouMean(item.Basis.Text, BasisWords)}; use 'on usage' (the default) or 'on total' (usage and the base fee)");
                ok = false;
                break;
        }
        valid &= ok;
        return ok ? new ThresholdSchedule(item.Amounts.Select(a => a.Amount).ToList(), item.Every?.Amount) { Basis = basis } : null;
    }

    private static readonly string[] BasisWords = ["usage", "total"];

    private bool CheckThresholdAmount(MoneyLiteral amount, string what, string currency, string label, SourceText source)
    {
        if (amount.Currency != currency)
        {
            Error(source, amount.Span, DiagnosticCodes.ThresholdCurrency,
                $"{what} {Show(amount.Amount)} {amount.Currency} is in {amount.Currency}, but {label} bills {currency}; give thresholds in {currency}");
            return false;
        }
        var digits = Currencies.MinorUnits(currency);
        string? problem = amount.Amount <= 0m ? "must be greater than 0"
            : Math.Round(amount.Amount, digits) != amount.Amount ? $"is finer than {currency}'s {digits} decimal(s)"
            : null;
        if (problem is null) return true;
        Error(source, amount.Span, DiagnosticCodes.BadThreshold, $"{what} {Show(amount.Amount)} {amount.Currency} {problem}");
        return false;
    }
}
