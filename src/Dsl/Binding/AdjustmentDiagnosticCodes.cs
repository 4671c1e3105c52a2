namespace RulesBilling.Dsl.Binding;

/// <summary>The stable checker codes of coupons and taxes (docs/dsl-spec.md §9.14, §9.15, §14); never renumber one.</summary>
internal static class AdjustmentDiagnosticCodes
{
    /// <summary>A contract clause <c>coupon NAME</c> naming no declared coupon.</summary>
    public const string UnknownCoupon = "RB0701";
    /// <summary>A contract clause <c>tax NAME</c> naming no declared tax.</summary>
    public const string UnknownTax = "RB0702";
    /// <summary>A coupon without a value, or with both (or two) <c>percent</c> and <c>amount</c>.</summary>
    public const string CouponValue = "RB0703";
    /// <summary>A percentage coupon not above 0% or above 100%.</summary>
    public const string BadCouponPercent = "RB0704";
    /// <summary>A fixed coupon amount not above 0.</summary>
    public const string BadCouponAmount = "RB0705";
    /// <summary>A fixed coupon attached to a contract whose currency it has no amount in.</summary>
    public const string CouponLacksCurrency = "RB0706";
    /// <summary>A coupon without a duration, with two, or <c>for N periods</c> with N not a whole number from 1 to 1200.</summary>
    public const string BadCouponDuration = "RB0707";
    /// <summary>A tax without a rate, with two, or a rate outside 0%–100%.</summary>
    public const string BadTaxRate = "RB0708";
    /// <summary><c>rate R MODE</c> with MODE not exclusive or inclusive.</summary>
    public const string BadTaxMode = "RB0709";
    /// <summary>Exclusive and inclusive taxes attached to the same contract version.</summary>
    public const string MixedTaxModes = "RB0710";
    /// <summary>The same coupon or tax attached twice to one contract version.</summary>
    public const string AttachedTwice = "RB0711";
    /// <summary>A jurisdiction that is not an ISO 3166 code (<c>"GB"</c>, <c>"US-CA"</c>), or given twice.</summary>
    public const string BadJurisdiction = "RB0712";
    /// <summary>A coupon or tax clause naming a customer the contract version does not bill.</summary>
    public const string ForeignCustomer = "RB0713";
    /// <summary>A coupon clause's <c>from</c> date outside the version's effective range.</summary>
    public const string CouponFromOutsideVersion = "RB0714";
}
