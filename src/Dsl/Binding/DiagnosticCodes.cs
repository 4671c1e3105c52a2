namespace RulesBilling.Dsl.Binding;

/// <summary>The stable checker codes of docs/dsl-spec.md §14 "Diagnostics"; never renumber one.</summary>
internal static class DiagnosticCodes
{
    public const string UnknownEventType = "RB0101";
    public const string UnknownField = "RB0102";
    public const string DuplicateDeclaration = "RB0103";
    public const string UnknownOutcome = "RB0104";
    public const string UnknownCurrency = "RB0105";
    public const string UnknownPricing = "RB0106";
    public const string UnknownFunction = "RB0107";
    public const string MissingClause = "RB0108";
    public const string DuplicateClause = "RB0109";
    /// <summary><c>event.ext</c> without an attribute name, a name that is not a CloudEvents one, or <c>event.id.x</c>.</summary>
    public const string BadExtensionAttribute = "RB0110";

    public const string TypeMismatch = "RB0201";
    public const string CurrencyMismatch = "RB0202";
    public const string MoneyTimesMoney = "RB0203";
    public const string OptionalMayBeAbsent = "RB0204";
    public const string BadArguments = "RB0205";

    public const string TiersNotAscending = "RB0301";
    public const string RestNotLast = "RB0302";
    public const string SplitNotWhole = "RB0303";
    public const string PercentNeedsValue = "RB0304";
    public const string HoldNeedsKey = "RB0305";
    public const string SplitDuplicatesDimension = "RB0306";
    public const string ChargeModelCount = "RB0307";
    public const string MinAboveMax = "RB0308";
    public const string BadUnitCount = "RB0309";
    public const string EmptyLabel = "RB0310";
    public const string LabelControlCharacter = "RB0311";
    public const string LabelTooLong = "RB0312";
    public const string DuplicateLabel = "RB0313";
    /// <summary><c>aggregate NAME</c>: not one of the aggregations (docs/dsl-spec.md §9.12).</summary>
    public const string UnknownAggregation = "RB0330";
    /// <summary><c>per BUCKET</c>: not minute, hour or day.</summary>
    public const string UnknownBucket = "RB0331";
    /// <summary>An aggregation on a percent or script charge, which price each outcome rather than a quantity.</summary>
    public const string AggregationNeedsQuantityModel = "RB0332";
    /// <summary><c>unique</c> without <c>of EXPR</c>, or <c>of EXPR</c> on an aggregation that reads quantities.</summary>
    public const string AggregationOf = "RB0333";
    /// <summary><c>weighted_sum</c> with <c>per</c>: it is already weighted by time.</summary>
    public const string WeightedSumBucket = "RB0334";

    public const string GuardCostCurrency = "RB0401";
    public const string PriceListLacksCurrency = "RB0402";
    public const string DuplicateContractVersion = "RB0403";
    public const string OverlappingVersions = "RB0404";
    public const string VersionOrder = "RB0405";
    public const string CustomerInTwoContracts = "RB0406";
    public const string BadPeriod = "RB0407";
    /// <summary><c>round to</c>: not positive, not in the contract currency, or finer than its minor unit.</summary>
    public const string BadRounding = "RB0408";
    /// <summary>A contract billing a three-decimal currency (KWD, BHD, ...) without <c>round to</c>.</summary>
    public const string MissingRounding = "RB0409";
    /// <summary><c>timezone "…"</c> that is not an IANA time zone id.</summary>
    public const string UnknownTimeZone = "RB0410";
    /// <summary><c>tiers X</c> with X not carry, restart or period.</summary>
    public const string BadTierPosition = "RB0411";
    /// <summary><c>pricing P extends Q</c> with no pricing Q.</summary>
    public const string UnknownParentPricing = "RB0412";
    /// <summary><c>extends</c> chains that come back to the pricing itself.</summary>
    public const string PricingInheritanceCycle = "RB0413";

    /// <summary>A threshold (or its <c>every</c> step) that is not positive or finer than the currency's minor unit.</summary>
    public const string BadThreshold = "RB0420";
    /// <summary>Thresholds not listed in strictly ascending order.</summary>
    public const string ThresholdOrder = "RB0421";
    /// <summary>A threshold in another currency than the contract's.</summary>
    public const string ThresholdCurrency = "RB0422";

    public const string MissingFile = "RB0006";

    public const string DivisionByZero = "RB0901";
    public const string Overflow = "RB0902";
    public const string NegativeQuantity = "RB0903";
    /// <summary>A weighted-sum level that falls below zero (more removed than added).</summary>
    public const string NegativeLevel = "RB0906";
}
