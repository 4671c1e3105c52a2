using RulesBilling.Dsl.Diagnostics;

namespace RulesBilling.Dsl.Binding;

/// <summary>The stable checker codes of docs/dsl-spec.md §14 "Diagnostics"; never renumber one.</summary>
internal static class DiagnosticCodes
{
    public static readonly string UnknownEventType = DiagnosticCatalogue.UnknownEventType.Code;
    public static readonly string UnknownField = DiagnosticCatalogue.UnknownField.Code;
    public static readonly string DuplicateDeclaration = DiagnosticCatalogue.DuplicateDeclaration.Code;
    public static readonly string UnknownOutcome = DiagnosticCatalogue.UnknownOutcome.Code;
    public static readonly string UnknownCurrency = DiagnosticCatalogue.UnknownCurrency.Code;
    public static readonly string UnknownPricing = DiagnosticCatalogue.UnknownPricing.Code;
    public static readonly string UnknownFunction = DiagnosticCatalogue.UnknownFunction.Code;
    public static readonly string MissingClause = DiagnosticCatalogue.MissingClause.Code;
    public static readonly string DuplicateClause = DiagnosticCatalogue.DuplicateClause.Code;
    /// <summary><c>event.ext</c> without an attribute name, a name that is not a CloudEvents one, or <c>event.id.x</c>.</summary>
    public static readonly string BadExtensionAttribute = DiagnosticCatalogue.BadExtensionAttribute.Code;

    public static readonly string TypeMismatch = DiagnosticCatalogue.TypeMismatch.Code;
    public static readonly string CurrencyMismatch = DiagnosticCatalogue.CurrencyMismatch.Code;
    public static readonly string MoneyTimesMoney = DiagnosticCatalogue.MoneyTimesMoney.Code;
    public static readonly string OptionalMayBeAbsent = DiagnosticCatalogue.OptionalMayBeAbsent.Code;
    public static readonly string BadArguments = DiagnosticCatalogue.BadArguments.Code;

    public static readonly string TiersNotAscending = DiagnosticCatalogue.TiersNotAscending.Code;
    public static readonly string RestNotLast = DiagnosticCatalogue.RestNotLast.Code;
    public static readonly string SplitNotWhole = DiagnosticCatalogue.SplitNotWhole.Code;
    public static readonly string PercentNeedsValue = DiagnosticCatalogue.PercentNeedsValue.Code;
    public static readonly string HoldNeedsKey = DiagnosticCatalogue.HoldNeedsKey.Code;
    public static readonly string SplitDuplicatesDimension = DiagnosticCatalogue.SplitDuplicatesDimension.Code;
    public static readonly string ChargeModelCount = DiagnosticCatalogue.ChargeModelCount.Code;
    public static readonly string MinAboveMax = DiagnosticCatalogue.MinAboveMax.Code;
    public static readonly string BadUnitCount = DiagnosticCatalogue.BadUnitCount.Code;
    public static readonly string EmptyLabel = DiagnosticCatalogue.EmptyLabel.Code;
    public static readonly string LabelControlCharacter = DiagnosticCatalogue.LabelControlCharacter.Code;
    public static readonly string LabelTooLong = DiagnosticCatalogue.LabelTooLong.Code;
    public static readonly string DuplicateLabel = DiagnosticCatalogue.DuplicateLabel.Code;
    /// <summary><c>aggregate NAME</c>: not one of the aggregations (docs/dsl-spec.md §9.12).</summary>
    public static readonly string UnknownAggregation = DiagnosticCatalogue.UnknownAggregation.Code;
    /// <summary><c>per BUCKET</c>: not minute, hour or day.</summary>
    public static readonly string UnknownBucket = DiagnosticCatalogue.UnknownBucket.Code;
    /// <summary>An aggregation on a percent or script charge, which price each outcome rather than a quantity.</summary>
    public static readonly string AggregationNeedsQuantityModel = DiagnosticCatalogue.AggregationNeedsQuantityModel.Code;
    /// <summary><c>unique</c> without <c>of EXPR</c>, or <c>of EXPR</c> on an aggregation that reads quantities.</summary>
    public static readonly string AggregationOf = DiagnosticCatalogue.AggregationOf.Code;
    /// <summary><c>weighted_sum</c> with <c>per</c>: it is already weighted by time.</summary>
    public static readonly string WeightedSumBucket = DiagnosticCatalogue.WeightedSumBucket.Code;

    public static readonly string GuardCostCurrency = DiagnosticCatalogue.GuardCostCurrency.Code;
    public static readonly string PriceListLacksCurrency = DiagnosticCatalogue.PriceListLacksCurrency.Code;
    public static readonly string DuplicateContractVersion = DiagnosticCatalogue.DuplicateContractVersion.Code;
    public static readonly string OverlappingVersions = DiagnosticCatalogue.OverlappingVersions.Code;
    public static readonly string VersionOrder = DiagnosticCatalogue.VersionOrder.Code;
    public static readonly string CustomerInTwoContracts = DiagnosticCatalogue.CustomerInTwoContracts.Code;
    public static readonly string BadPeriod = DiagnosticCatalogue.BadPeriod.Code;
    /// <summary><c>round to</c>: not positive, not in the contract currency, or finer than its minor unit.</summary>
    public static readonly string BadRounding = DiagnosticCatalogue.BadRounding.Code;
    /// <summary>A contract billing a three-decimal currency (KWD, BHD, ...) without <c>round to</c>.</summary>
    public static readonly string MissingRounding = DiagnosticCatalogue.MissingRounding.Code;
    /// <summary><c>timezone "…"</c> that is not an IANA time zone id.</summary>
    public static readonly string UnknownTimeZone = DiagnosticCatalogue.UnknownTimeZone.Code;
    /// <summary><c>tiers X</c> with X not carry, restart or period.</summary>
    public static readonly string BadTierPosition = DiagnosticCatalogue.BadTierPosition.Code;
    /// <summary><c>pricing P extends Q</c> with no pricing Q.</summary>
    public static readonly string UnknownParentPricing = DiagnosticCatalogue.UnknownParentPricing.Code;
    /// <summary><c>extends</c> chains that come back to the pricing itself.</summary>
    public static readonly string PricingInheritanceCycle = DiagnosticCatalogue.PricingInheritanceCycle.Code;

    /// <summary>A threshold (or its <c>every</c> step) that is not positive or finer than the currency's minor unit.</summary>
    public static readonly string BadThreshold = DiagnosticCatalogue.BadThreshold.Code;
    /// <summary>Thresholds not listed in strictly ascending order.</summary>
    public static readonly string ThresholdOrder = DiagnosticCatalogue.ThresholdOrder.Code;
    /// <summary>A threshold in another currency than the contract's.</summary>
    public static readonly string ThresholdCurrency = DiagnosticCatalogue.ThresholdCurrency.Code;
    public static readonly string BadThresholdBasis = DiagnosticCatalogue.BadThresholdBasis.Code;
    /// <summary>Thresholds on a contract version that also attaches a coupon or a tax.</summary>

    public static readonly string MissingFile = DiagnosticCatalogue.MissingFile.Code;

    public static readonly string DivisionByZero = DiagnosticCatalogue.DivisionByZero.Code;
    public static readonly string Overflow = DiagnosticCatalogue.Overflow.Code;
    public static readonly string NegativeQuantity = DiagnosticCatalogue.NegativeQuantity.Code;
    /// <summary>A weighted-sum level that falls below zero (more removed than added).</summary>
    public static readonly string NegativeLevel = DiagnosticCatalogue.NegativeLevel.Code;
}
