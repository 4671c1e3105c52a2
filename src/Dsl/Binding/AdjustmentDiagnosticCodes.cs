using RulesBilling.Dsl.Diagnostics;

namespace RulesBilling.Dsl.Binding;

/// <summary>The stable checker codes of coupons and taxes (docs/dsl-spec.md §9.14, §9.15, §14); never renumber one.</summary>
internal static class AdjustmentDiagnosticCodes
{
    /// <summary>A contract clause <c>coupon NAME</c> naming no declared coupon.</summary>
    public static readonly string UnknownCoupon = DiagnosticCatalogue.UnknownCoupon.Code;
    /// <summary>A contract clause <c>tax NAME</c> naming no declared tax.</summary>
    public static readonly string UnknownTax = DiagnosticCatalogue.UnknownTax.Code;
    /// <summary>A coupon without a value, or with both (or two) <c>percent</c> and <c>amount</c>.</summary>
    public static readonly string CouponValue = DiagnosticCatalogue.CouponValue.Code;
    /// <summary>A percentage coupon not above 0% or above 100%.</summary>
    public static readonly string BadCouponPercent = DiagnosticCatalogue.BadCouponPercent.Code;
    /// <summary>A fixed coupon amount not above 0.</summary>
    public static readonly string BadCouponAmount = DiagnosticCatalogue.BadCouponAmount.Code;
    /// <summary>A fixed coupon attached to a contract whose currency it has no amount in.</summary>
    public static readonly string CouponLacksCurrency = DiagnosticCatalogue.CouponLacksCurrency.Code;
    /// <summary>A coupon without a duration, with two, or <c>for N periods</c> with N not a whole number from 1 to 1200.</summary>
    public static readonly string BadCouponDuration = DiagnosticCatalogue.BadCouponDuration.Code;
    /// <summary>A tax without a rate, with two, or a rate outside 0%–100%.</summary>
    public static readonly string BadTaxRate = DiagnosticCatalogue.BadTaxRate.Code;
    /// <summary><c>rate R MODE</c> with MODE not exclusive or inclusive.</summary>
    public static readonly string BadTaxMode = DiagnosticCatalogue.BadTaxMode.Code;
    /// <summary>Exclusive and inclusive taxes attached to the same contract version.</summary>
    public static readonly string MixedTaxModes = DiagnosticCatalogue.MixedTaxModes.Code;
    /// <summary>The same coupon or tax attached twice to one contract version.</summary>
    public static readonly string AttachedTwice = DiagnosticCatalogue.AttachedTwice.Code;
    /// <summary>A jurisdiction that is not an ISO 3166 code (<c>"GB"</c>, <c>"US-CA"</c>), or given twice.</summary>
    public static readonly string BadJurisdiction = DiagnosticCatalogue.BadJurisdiction.Code;
    /// <summary>A coupon or tax clause naming a customer the contract version does not bill.</summary>
    public static readonly string ForeignCustomer = DiagnosticCatalogue.ForeignCustomer.Code;
    /// <summary>A coupon clause's <c>from</c> date outside the version's effective range.</summary>
    public static readonly string CouponFromOutsideVersion = DiagnosticCatalogue.CouponFromOutsideVersion.Code;
}
