using System.Globalization;
using System.Text;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Accounting;

/// <summary>Revenue schedules as CSV: one row per entry, with the document, line, rule, version and events it traces to.</summary>
public static class RevenueScheduleCsv
{
    public const string Header = "document_id,document_number,document_kind,line_id,line_kind,rule,version,date,amount,currency,basis,events,description";

    public static string Write(IEnumerable<RevenueScheduleEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var e in entries)
        {
            csv.AppendJoin(',',
                e.DocumentId, Field(e.DocumentNumber ?? ""), InvoiceNames.Of(e.DocumentKind), Field(e.LineId), InvoiceNames.Of(e.LineKind),
                Field(e.Rule), e.Version.ToString(CultureInfo.InvariantCulture), e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                CurrencyMath.Format(e.Amount, e.Currency), e.Currency, Basis(e.Basis), Field(string.Join(' ', e.Events)), Field(e.Description)).Append('\n');
        }
        return csv.ToString();
    }

    public static string Basis(RecognitionBasis basis) => basis switch
    {
        RecognitionBasis.PeriodEnd => "period_end",
        _ => basis.ToString().ToLowerInvariant(),
    };

    private static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
