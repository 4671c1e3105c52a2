using System.Globalization;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Accounting;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Accounting;

/// <summary>An export of the journal: its media type and text.</summary>
internal sealed record JournalDocument(string ContentType, string Body);

/// <summary>
/// The one export of a tenant's books, shared by <c>rulesbilling journal</c> and <c>GET /v1/journal</c>: journal entries
/// dated in [from, to) as CSV or as QuickBooks Online JournalEntry bodies, or the revenue schedule entries in that range
/// as CSV (docs/accounting.md).
/// </summary>
internal static class JournalExport
{
    public const string Csv = "csv";
    public const string QuickBooks = "qbo";
    public const string Schedule = "schedule";

    public static readonly IReadOnlyList<string> Formats = [Csv, QuickBooks, Schedule];

    /// <summary>A date bound (yyyy-MM-dd, or an ISO 8601 instant whose UTC day is taken); null when absent.</summary>
    /// <exception cref="FormatException">The text is neither.</exception>
    public static DateOnly? ParseDate(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return AccountingDates.Day(at);
        throw new FormatException($"{name} must be a date (yyyy-MM-dd) or an ISO 8601 instant, got '{text}'");
    }

    /// <exception cref="FormatException">Unknown format, or from after to.</exception>
    public static JournalDocument Render(
        IBillingStore billing, IPaymentStore? payments, string tenant, CompiledRuleSet rules, DateOnly? from, DateOnly? to, string format, DateTimeOffset now)
    {
        if (!Formats.Contains(format, StringComparer.Ordinal))
            throw new FormatException($"format must be one of {string.Join(", ", Formats)}, got '{format}'");
        if (from is { } start && to is { } end && end < start)
            throw new FormatException($"to ({end:yyyy-MM-dd}) is before from ({start:yyyy-MM-dd})");
        var input = JournalSource.Read(billing, payments, tenant, rules);
        if (format == Schedule)
        {
            var entries = input.Documents
                .Where(d => d.Number is not null && d.Status is Engine.Invoicing.InvoiceStatus.Finalized or Engine.Invoicing.InvoiceStatus.Void)
                .SelectMany(d => RevenueScheduler.Schedule(d, input.Timeline,
                    input.Documents.Where(r => (r.Corrects ?? r.Id) == (d.Corrects ?? d.Id)).ToList()))
                .Where(e => (from is null || e.Date >= from) && (to is null || e.Date < to))
                .OrderBy(e => e.Date).ThenBy(e => e.DocumentId, StringComparer.Ordinal).ThenBy(e => e.LineId, StringComparer.Ordinal)
                .ToList();
            return new JournalDocument("text/csv; charset=utf-8", RevenueScheduleCsv.Write(entries));
        }
        var journal = JournalBuilder.Between(JournalBuilder.Build(input, now), from, to);
        return format == QuickBooks
            ? new JournalDocument("application/json; charset=utf-8", QuickBooksJournal.Serialize(journal))
            : new JournalDocument("text/csv; charset=utf-8", JournalCsv.Write(journal));
    }
}
