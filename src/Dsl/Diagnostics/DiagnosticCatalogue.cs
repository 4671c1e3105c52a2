using System.Reflection;

namespace RulesBilling.Dsl.Diagnostics;

/// <summary>
/// Every diagnostic code of the checker, the script compiler and the rating engine, one line each; the code classes of
/// the stages name their codes from here. A new code is one line below and one row in the table of docs/dsl-spec.md
/// §14 (§16.5 for scripts), with the same meaning: tests/Dsl.Tests/Spec/DiagnosticCatalogueTests.cs holds the
/// two together. Never renumber a code.
/// </summary>
public static class DiagnosticCatalogue
{
    public static readonly DiagnosticDescriptor UnexpectedCharacter = Error("RB0001", "unexpected character");
    public static readonly DiagnosticDescriptor SyntaxError = Error("RB0002", "syntax error");
    public static readonly DiagnosticDescriptor UnterminatedString = Error("RB0003", "unterminated string");
    public static readonly DiagnosticDescriptor NumberTooLarge = Error("RB0004", "number too large");
    public static readonly DiagnosticDescriptor InvalidLiteral = Error("RB0005", "invalid date or literal");
    public static readonly DiagnosticDescriptor MissingFile = Error("RB0006", "a rule file or folder named on the command line does not exist or cannot be read");
    public static readonly DiagnosticDescriptor UnknownEventType = Error("RB0101", "unknown event type");
    public static readonly DiagnosticDescriptor UnknownField = Error("RB0102", "unknown field");
    public static readonly DiagnosticDescriptor DuplicateDeclaration = Error("RB0103", "duplicate declaration (event, outcome, cost, pricing, field, dimension)");
    public static readonly DiagnosticDescriptor UnknownOutcome = Error("RB0104", "unknown outcome");
    public static readonly DiagnosticDescriptor UnknownCurrency = Error("RB0105", "unknown currency");
    public static readonly DiagnosticDescriptor UnknownPricing = Error("RB0106", "unknown pricing");
    public static readonly DiagnosticDescriptor UnknownFunction = Error("RB0107", "unknown function");
    public static readonly DiagnosticDescriptor MissingClause = Error("RB0108", "missing required clause");
    public static readonly DiagnosticDescriptor DuplicateClause = Error("RB0109", "duplicate clause");
    public static readonly DiagnosticDescriptor BadExtensionAttribute = Error("RB0110", "bad extension attribute");
    public static readonly DiagnosticDescriptor KeywordAsName = Error("RB0111", "a keyword written where a name belongs (§1.1)");
    public static readonly DiagnosticDescriptor BadQuotedName = Error("RB0112", "a malformed quoted name (§1.1)");
    public static readonly DiagnosticDescriptor TypeMismatch = Error("RB0201", "type mismatch");
    public static readonly DiagnosticDescriptor CurrencyMismatch = Error("RB0202", "currency mismatch");
    public static readonly DiagnosticDescriptor MoneyTimesMoney = Error("RB0203", "money × money");
    public static readonly DiagnosticDescriptor OptionalMayBeAbsent = Error("RB0204", "optional may be absent");
    public static readonly DiagnosticDescriptor BadArguments = Error("RB0205", "bad function arguments");
    public static readonly DiagnosticDescriptor InvalidPattern = Error("RB0210", "invalid regular expression in `matches()` (§4.2)");
    public static readonly DiagnosticDescriptor BacktrackingPattern = Error("RB0211", "`matches()` pattern that needs backtracking (§4.2)");
    public static readonly DiagnosticDescriptor DisqualificationNeedsKey = Error("RB0212", "`disqualified by` without `key` (§7.8)");
    public static readonly DiagnosticDescriptor BadCorrectionMode = Error("RB0213", "unknown correction mode (§10.8)");
    public static readonly DiagnosticDescriptor TiersNotAscending = Error("RB0301", "tier bounds not ascending");
    public static readonly DiagnosticDescriptor RestNotLast = Error("RB0302", "last tier must be `rest`; `rest` only last");
    public static readonly DiagnosticDescriptor SplitNotWhole = Error("RB0303", "split shares do not sum to 100%");
    public static readonly DiagnosticDescriptor PercentNeedsValue = Error("RB0304", "percent charge on an outcome without `value`");
    public static readonly DiagnosticDescriptor HoldNeedsKey = Error("RB0305", "hold without key");
    public static readonly DiagnosticDescriptor SplitDuplicatesDimension = Error("RB0306", "split dimension is also a dimension");
    public static readonly DiagnosticDescriptor ChargeModelCount = Error("RB0307", "charge needs exactly one model");
    public static readonly DiagnosticDescriptor MinAboveMax = Error("RB0308", "min > max");
    public static readonly DiagnosticDescriptor BadUnitCount = Error("RB0309", "non-positive package size or negative free units");
    public static readonly DiagnosticDescriptor EmptyLabel = Error("RB0310", "empty label or description, or one with leading/trailing spaces (§9.11)");
    public static readonly DiagnosticDescriptor LabelControlCharacter = Error("RB0311", "line break or tab in a label or description");
    public static readonly DiagnosticDescriptor LabelTooLong = Error("RB0312", "label over 80 or description over 280 characters");
    public static readonly DiagnosticDescriptor DuplicateLabel = Error("RB0313", "two charges of one pricing with the same label");
    public static readonly DiagnosticDescriptor FreeAmountNeedsPercent = Error("RB0320", "a free amount (`free 100 USD`) on a charge that is not `percent` (§9.5.3)");
    public static readonly DiagnosticDescriptor DynamicNeedsValue = Error("RB0321", "`dynamic value` on an outcome without `value` (§9.5.4)");
    public static readonly DiagnosticDescriptor WhenUsedWithoutFlatFee = Error("RB0322", "`when used` on tiers whose first tier has no flat fee (§9.5.1)");
    public static readonly DiagnosticDescriptor BadMultiplier = Error("RB0323", "a dynamic multiplier not above 0 (§9.5.4)");
    public static readonly DiagnosticDescriptor UnknownAggregation = Error("RB0330", "unknown aggregation (§9.12)");
    public static readonly DiagnosticDescriptor UnknownBucket = Error("RB0331", "unknown time bucket");
    public static readonly DiagnosticDescriptor AggregationNeedsQuantityModel = Error("RB0332", "`aggregate` on a percent or script charge");
    public static readonly DiagnosticDescriptor AggregationOf = Error("RB0333", "`unique` without `of`, or `of` on another aggregation");
    public static readonly DiagnosticDescriptor WeightedSumBucket = Error("RB0334", "`weighted_sum` with `per`");
    public static readonly DiagnosticDescriptor GuardCostCurrency = Error("RB0401", "guard cost currency ≠ contract currency");
    public static readonly DiagnosticDescriptor PriceListLacksCurrency = Error("RB0402", "price list lacks the contract's currency");
    public static readonly DiagnosticDescriptor DuplicateContractVersion = Error("RB0403", "duplicate contract version");
    public static readonly DiagnosticDescriptor OverlappingVersions = Error("RB0404", "overlapping versions");
    public static readonly DiagnosticDescriptor VersionOrder = Error("RB0405", "version order");
    public static readonly DiagnosticDescriptor CustomerInTwoContracts = Error("RB0406", "customer in two contracts");
    public static readonly DiagnosticDescriptor BadPeriod = Error("RB0407", "bad period");
    public static readonly DiagnosticDescriptor BadRounding = Error("RB0408", "bad rounding increment");
    public static readonly DiagnosticDescriptor MissingRounding = Error("RB0409", "three-decimal currency without `round to`");
    public static readonly DiagnosticDescriptor UnknownTimeZone = Error("RB0410", "unknown time zone");
    public static readonly DiagnosticDescriptor BadTierPosition = Error("RB0411", "bad tier position");
    public static readonly DiagnosticDescriptor UnknownParentPricing = Error("RB0412", "unknown parent pricing");
    public static readonly DiagnosticDescriptor PricingInheritanceCycle = Error("RB0413", "pricing inheritance cycle");
    public static readonly DiagnosticDescriptor BadThreshold = Error("RB0420", "bad threshold: not positive, or finer than the currency (§10.9)");
    public static readonly DiagnosticDescriptor ThresholdOrder = Error("RB0421", "thresholds not ascending (§10.9)");
    public static readonly DiagnosticDescriptor ThresholdCurrency = Error("RB0422", "threshold in another currency than the contract's (§10.9)");
    public static readonly DiagnosticDescriptor BadThresholdBasis = Error("RB0424", "thresholds count neither usage nor total (§10.9.2)");
    public static readonly DiagnosticDescriptor ScriptsDisabled = Error("RB0501", "scripts are disabled");
    public static readonly DiagnosticDescriptor ScriptFileUnavailable = Error("RB0502", "script file unavailable");
    public static readonly DiagnosticDescriptor ScriptCompileError = Error("RB0503", "the script does not compile");
    public static readonly DiagnosticDescriptor ScriptForbidden = Error("RB0504", "forbidden API or construct");
    public static readonly DiagnosticDescriptor ScriptNotAllowedHere = Error("RB0505", "a script is not allowed here, or its type is unknown");
    public static readonly DiagnosticDescriptor ScriptTooComplex = Error("RB0506", "the script is too long or too deeply nested to compile safely");
    public static readonly DiagnosticDescriptor UnknownFeature = Error("RB0601", "unknown feature");
    public static readonly DiagnosticDescriptor GrantKindMismatch = Error("RB0602", "grant does not fit the feature");
    public static readonly DiagnosticDescriptor DuplicateGrant = Error("RB0603", "feature granted twice");
    public static readonly DiagnosticDescriptor BadReset = Error("RB0605", "bad reset period");
    public static readonly DiagnosticDescriptor UnknownCoupon = Error("RB0701", "unknown coupon (§9.14)");
    public static readonly DiagnosticDescriptor UnknownTax = Error("RB0702", "unknown tax (§9.15)");
    public static readonly DiagnosticDescriptor CouponValue = Error("RB0703", "a coupon without a value, or with two");
    public static readonly DiagnosticDescriptor BadCouponPercent = Error("RB0704", "a percentage coupon not in (0%, 100%]");
    public static readonly DiagnosticDescriptor BadCouponAmount = Error("RB0705", "a fixed coupon amount not above 0");
    public static readonly DiagnosticDescriptor CouponLacksCurrency = Error("RB0706", "a fixed coupon without an amount in the contract currency");
    public static readonly DiagnosticDescriptor BadCouponDuration = Error("RB0707", "a coupon without a duration, with two, or a bad period count");
    public static readonly DiagnosticDescriptor BadTaxRate = Error("RB0708", "a tax without a rate, with two, or a rate outside 0%–100%");
    public static readonly DiagnosticDescriptor BadTaxMode = Error("RB0709", "a tax mode other than exclusive or inclusive");
    public static readonly DiagnosticDescriptor MixedTaxModes = Error("RB0710", "inclusive and exclusive taxes on one contract version");
    public static readonly DiagnosticDescriptor AttachedTwice = Error("RB0711", "a coupon or tax attached twice to one version");
    public static readonly DiagnosticDescriptor BadJurisdiction = Error("RB0712", "a jurisdiction that is not an ISO 3166 code");
    public static readonly DiagnosticDescriptor ForeignCustomer = Error("RB0713", "a coupon or tax clause naming a customer the version does not bill");
    public static readonly DiagnosticDescriptor CouponFromOutsideVersion = Error("RB0714", "a coupon clause's `from` outside the version's range");
    public static readonly DiagnosticDescriptor DivisionByZero = Error("RB0901", "rating error: division by zero");
    public static readonly DiagnosticDescriptor Overflow = Error("RB0902", "rating error: decimal overflow");
    public static readonly DiagnosticDescriptor NegativeQuantity = Error("RB0903", "rating error: negative quantity");
    public static readonly DiagnosticDescriptor ScriptBudgetExceeded = Error("RB0904", "rating error: script budget exceeded");
    public static readonly DiagnosticDescriptor ScriptRecursionTooDeep = Error("RB0905", "rating error: script recursion too deep");
    public static readonly DiagnosticDescriptor ScriptFailed = Error("RB0906", "rating error: the script failed");
    public static readonly DiagnosticDescriptor ThresholdsOverbilled = Error("RB0910", "rating error: the period's threshold invoices billed more than its invoice (§10.9)");
    public static readonly DiagnosticDescriptor MissingEventPrice = Error("RB0912", "rating error: a dynamic charge's outcome has no value (§9.5.4)");
    public static readonly DiagnosticDescriptor NegativeEventPrice = Error("RB0913", "rating error: a negative price carried on an event (§9.5.4)");
    public static readonly DiagnosticDescriptor NegativeLevel = Error("RB0914", "rating error: a `weighted_sum` level below zero (§9.12)");

    private static readonly Lazy<IReadOnlyList<DiagnosticDescriptor>> Entries = new(() =>
    [
        .. typeof(DiagnosticCatalogue).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Code, StringComparer.Ordinal),
    ]);

    /// <summary>All codes by code, read from the fields above so that a new code needs no second entry.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All => Entries.Value;

    private static DiagnosticDescriptor Error(string code, string meaning) => new(code, DiagnosticSeverity.Error, meaning);
}
