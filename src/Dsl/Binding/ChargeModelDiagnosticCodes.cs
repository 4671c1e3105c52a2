using RulesBilling.Dsl.Diagnostics;

namespace RulesBilling.Dsl.Binding;

/// <summary>The stable codes of the value-priced and flat-fee charge models (docs/dsl-spec.md §9.5.1–§9.5.4, §14); never renumber one.</summary>
internal static class ChargeModelDiagnosticCodes
{
    /// <summary><c>free 500 USD</c> (a free amount of value) on a charge whose model is not <c>percent</c>.</summary>
    public static readonly string FreeAmountNeedsPercent = DiagnosticCatalogue.FreeAmountNeedsPercent.Code;

    /// <summary><c>dynamic value</c> on an outcome without a <c>value</c> clause.</summary>
    public static readonly string DynamicNeedsValue = DiagnosticCatalogue.DynamicNeedsValue.Code;

    /// <summary><c>when used</c> on tiers whose first tier has no flat fee: it would change nothing.</summary>
    public static readonly string WhenUsedWithoutFlatFee = DiagnosticCatalogue.WhenUsedWithoutFlatFee.Code;

    /// <summary><c>dynamic value times N</c> with N not above 0.</summary>
    public static readonly string BadMultiplier = DiagnosticCatalogue.BadMultiplier.Code;

    /// <summary>Rating: a dynamic charge's outcome has no value (the event carried no price).</summary>
    public static readonly string MissingEventPrice = DiagnosticCatalogue.MissingEventPrice.Code;

    /// <summary>Rating: a dynamic charge's outcome value (the price carried on the event) is negative.</summary>
    public static readonly string NegativeEventPrice = DiagnosticCatalogue.NegativeEventPrice.Code;
}
