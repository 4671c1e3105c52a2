namespace RulesBilling.Dsl.Binding;

/// <summary>The stable codes of the value-priced and flat-fee charge models (docs/dsl-spec.md §9.5.1–§9.5.4, §14); never renumber one.</summary>
internal static class ChargeModelDiagnosticCodes
{
    /// <summary><c>free 500 USD</c> (a free amount of value) on a charge whose model is not <c>percent</c>.</summary>
    public const string FreeAmountNeedsPercent = "RB0320";

    /// <summary><c>dynamic value</c> on an outcome without a <c>value</c> clause.</summary>
    public const string DynamicNeedsValue = "RB0321";

    /// <summary><c>when used</c> on tiers whose first tier has no flat fee: it would change nothing.</summary>
    public const string WhenUsedWithoutFlatFee = "RB0322";

    /// <summary><c>dynamic value times N</c> with N not above 0.</summary>
    public const string BadMultiplier = "RB0323";

    /// <summary>Rating: a dynamic charge's outcome has no value (the event carried no price).</summary>
    public const string MissingEventPrice = "RB0904";

    /// <summary>Rating: a dynamic charge's outcome value (the price carried on the event) is negative.</summary>
    public const string NegativeEventPrice = "RB0905";
}
