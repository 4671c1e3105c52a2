using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Binding;

// `label` and `description`: the text a customer reads on an invoice (docs/dsl-spec.md §9.11).
internal sealed partial class RuleSetBinder
{
    /// <summary>A label names one invoice line: it has to fit on that line.</summary>
    public const int MaxLabelLength = 80;

    /// <summary>A description is one or two sentences under the label.</summary>
    public const int MaxDescriptionLength = 280;

    /// <summary>The checked text of a label (<paramref name="isDescription"/> false) or description; null when absent or invalid.</summary>
    private string? BindText(StringLiteral? text, bool isDescription, string owner, SourceText source)
    {
        if (text is null) return null;
        var what = isDescription ? "description" : "label";
        var value = text.Value;
        if (string.IsNullOrWhiteSpace(value))
        {
            Error(source, text.Span, DiagnosticCodes.EmptyLabel,
                $"the {what} of {owner} is empty; write what the customer should read, or remove the {what}");
            return null;
        }
        if (value.Any(char.IsControl))
        {
            Error(source, text.Span, DiagnosticCodes.LabelControlCharacter,
                $"the {what} of {owner} contains a line break or tab; an invoice shows it on one line");
            return null;
        }
        if (value != value.Trim())
        {
            Error(source, text.Span, DiagnosticCodes.EmptyLabel,
                $"the {what} of {owner} starts or ends with spaces; remove them");
            return null;
        }
        var max = isDescription ? MaxDescriptionLength : MaxLabelLength;
        if (value.Length > max)
        {
            Error(source, text.Span, DiagnosticCodes.LabelTooLong,
                $"the {what} of {owner} is {value.Length} characters long; keep it to {max} (put details in {(isDescription ? "the documentation" : "a 'description'")})");
            return null;
        }
        return value;
    }

    /// <summary>The label and description clauses of a charge, each at most once (RB0109).</summary>
    private (string? Label, string? Description) BindChargeTexts(ChargeItem charge, string owner, SourceText source)
    {
        ChargeTextClause? label = null, description = null;
        foreach (var clause in charge.Clauses.OfType<ChargeTextClause>())
        {
            ref var first = ref clause.IsDescription ? ref description : ref label;
            if (first is not null)
            {
                Error(source, clause.Span, DiagnosticCodes.DuplicateClause,
                    $"{owner} already has a '{(clause.IsDescription ? "description" : "label")}' at {Where(source, first.Span)}; keep only one");
                continue;
            }
            first = clause;
        }
        return (BindText(label?.Text, false, owner, source), BindText(description?.Text, true, owner, source));
    }

    /// <summary>Two lines of one invoice must not read the same: charges of a pricing need distinct labels (RB0313).</summary>
    private void CheckDistinctChargeLabels(PricingDecl decl, IReadOnlyList<BoundCharge> charges, SourceText source)
    {
        var seen = new Dictionary<string, BoundCharge>(StringComparer.OrdinalIgnoreCase);
        foreach (var charge in charges)
        {
            if (charge.Label is not { } label) continue;
            if (seen.TryGetValue(label, out var earlier))
            {
                Error(source, charge.LabelSpan!.Value, DiagnosticCodes.DuplicateLabel,
                    $"charge '{charge.Outcome}' has the label \"{label}\", like the charge at {Where(source, earlier.LabelSpan!.Value)} in pricing '{decl.Name.Text}'; customers could not tell the two lines apart");
                continue;
            }
            seen[label] = charge;
        }
    }
}
