namespace RulesBilling.Engine.Invoicing;

/// <summary>The stable lower-case names of invoice enums used in ids and JSON.</summary>
public static class InvoiceNames
{
    public static string Of(LineKind kind) => kind switch
    {
        LineKind.Base => "base",
        LineKind.Charge => "charge",
        LineKind.Minimum => "minimum",
        LineKind.Cap => "cap",
        LineKind.GuardCap => "guard-cap",
        LineKind.Correction => "correction",
        LineKind.ThresholdCredit => "threshold-credit",
        LineKind.Coupon => "coupon",
        LineKind.Tax => "tax",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown line kind"),
    };

    public static string Of(InvoiceStatus status) => status switch
    {
        InvoiceStatus.Draft => "draft",
        InvoiceStatus.Held => "held",
        InvoiceStatus.Finalized => "finalized",
        InvoiceStatus.Void => "void",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown invoice status"),
    };

    public static string Of(InvoiceKind kind) => kind switch
    {
        InvoiceKind.Invoice => "invoice",
        InvoiceKind.CreditNote => "credit-note",
        InvoiceKind.Adjustment => "adjustment",
        InvoiceKind.Threshold => "threshold",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown invoice kind"),
    };

    /// <summary>Output order of line kinds inside a segment (docs/dsl-spec.md §13 "Determinism"): base &lt; charge &lt; cap &lt; minimum &lt; guard-cap &lt; coupon &lt; tax.</summary>
    public static int Rank(LineKind kind) => kind switch
    {
        LineKind.Base => 0,
        LineKind.Charge => 1,
        LineKind.Cap => 2,
        LineKind.Minimum => 3,
        LineKind.GuardCap => 4,
        LineKind.Correction => 5,
        // Coupons and taxes close the invoice, in that order (docs/dsl-spec.md §9.10).
        LineKind.Coupon => 6,
        LineKind.Tax => 7,
        // The netting of threshold invoices comes last: it takes back their whole subtotals (docs/dsl-spec.md §10.9).
        LineKind.ThresholdCredit => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown line kind"),
    };
}
