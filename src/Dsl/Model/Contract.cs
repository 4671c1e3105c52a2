namespace RulesBilling.Dsl.Model;

/// <summary>How a contract's billing periods are cut.</summary>
public abstract record BillingPeriod;

/// <summary>Calendar months starting on <see cref="AnchorDay"/> (1–31, clamped to the month's last day).</summary>
public sealed record MonthlyPeriod(int AnchorDay) : BillingPeriod;

/// <summary>An ISO 8601 duration of whole days, weeks, months or years, counted from the contract's first effective date.</summary>
public sealed record IsoPeriod(string Iso, int Years, int Months, int Days) : BillingPeriod;

/// <summary>One version of a contract, in force on [EffectiveFrom, EffectiveUntil) (UTC midnights).</summary>
public sealed record ContractVersion(
    string Contract,
    int Version,
    DateOnly EffectiveFrom,
    DateOnly? EffectiveUntil,
    /// <summary>True for <c>customers default</c>: every customer not bound explicitly.</summary>
    bool IsDefault,
    IReadOnlyList<string> Customers,
    string Pricing,
    string Currency,
    BillingPeriod Period,
    /// <summary>SHA-256 (hex) of the rule file that declared this version.</summary>
    string SourceHash,
    string SourceFile)
{
    /// <summary>
    /// <c>round to 0.010 KWD</c>: every invoice line is rounded half-up to a multiple of this amount instead of the
    /// currency's minor unit (null: the minor unit). Stripe and Razorpay take three-decimal currencies only in
    /// multiples of 0.010, so a contract billing one must say which it means (RB0409).
    /// </summary>
    public decimal? RoundingIncrement { get; init; }

    /// <summary>
    /// <c>timezone "Asia/Tokyo"</c>: the IANA zone whose local midnights start its periods and versions (null: UTC).
    /// </summary>
    public string? TimeZone { get; init; }

    /// <summary><c>tiers carry | restart | period</c> (default <see cref="TierPosition.Lower"/>).</summary>
    public TierPosition Tiers { get; init; }

    /// <summary><c>corrections net | reverse_and_rebill</c> (default <see cref="CorrectionMode.Net"/>, docs/dsl-spec.md §10.8).</summary>
    public CorrectionMode Corrections { get; init; }
    /// <summary><c>thresholds …</c>: when an open period's usage amount invoices early (null: only at the period end).</summary>
    public ThresholdSchedule? Thresholds { get; init; }
    /// <summary>The coupons attached to this version, in clause order (the order they are applied in, §9.14).</summary>
    public IReadOnlyList<AttachedCoupon> Coupons { get; init; } = [];

    /// <summary>The taxes attached to this version, in clause order (§9.15).</summary>
    public IReadOnlyList<AttachedTax> Taxes { get; init; } = [];
}
