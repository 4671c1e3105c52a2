using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Accounting;

/// <summary>The dates documents take effect in the books (UTC calendar days).</summary>
public static class AccountingDates
{
    /// <summary>
    /// A period invoice is dated by its period end (it is issued when the period closes, whenever finalize runs);
    /// a correction by the time it was issued, or — stored before that was recorded — by its period end.
    /// </summary>
    public static DateOnly Issued(Invoice document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Day(document.Kind == InvoiceKind.Invoice ? document.PeriodTo : document.IssuedAt ?? document.PeriodTo);
    }

    /// <summary>The void date of a voided document (its issue date when the void time was not recorded); null otherwise.</summary>
    public static DateOnly? Voided(Invoice document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Status != InvoiceStatus.Void) return null;
        var issued = Issued(document);
        return document.VoidedAt is { } at && Day(at) > issued ? Day(at) : issued;
    }

    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    /// <summary>The last UTC day an end-exclusive range [from, to) touches.</summary>
    public static DateOnly LastDay(DateTimeOffset from, DateTimeOffset to) => to > from ? Day(to.AddTicks(-1)) : Day(from);
}
