using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Syntax;

// Charge models of docs/dsl-spec.md §9.5 that price an outcome's value or carry flat fees, kept apart from the core
// pricing syntax so it stays unchanged: graduated percent tiers, a free amount of value, a price carried on the event.

/// <summary>
/// <c>graduated percent of value [when used] { up to 1000 USD at 1% plus 200 USD … rest at 3% }</c>: tiers over the
/// summed value; <see cref="WhenUsed"/> waives the first tier's flat fee when nothing is billed.
/// </summary>
internal sealed record GraduatedPercentClause(TextSpan Span, bool WhenUsed, NodeList<PercentTier> Tiers) : ChargeClause(Span);

/// <summary>A tier of value with an inclusive upper bound (a price list; null for <c>rest</c>), a rate and an optional flat fee.</summary>
internal sealed record PercentTier(TextSpan Span, PriceList? UpTo, PercentLiteral Rate, PriceList? Flat);

/// <summary><c>free 500 USD</c>: the first 500 USD of value of a percent charge is not charged.</summary>
internal sealed record FreeAmountClause(TextSpan Span, PriceList Amount) : ChargeClause(Span);

/// <summary>
/// <c>dynamic value [per unit] [times N]</c>: the price is carried on the event, as the outcome's value (per unit:
/// × quantity), times <see cref="Multiplier"/> (OpenMeter's dynamic price multiplier; 1 when absent).
/// </summary>
internal sealed record DynamicClause(TextSpan Span, bool PerUnit) : ChargeClause(Span)
{
    public NumberLiteral? Multiplier { get; init; }
}
