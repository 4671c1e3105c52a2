using System.Globalization;
using System.Text;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Accounting;

/// <summary>
/// The journal as CSV (RFC 4180, '\n' line ends): one row per journal line, amounts with exactly the currency's minor
/// digits, so a spreadsheet or a ledger import sums debits and credits without rounding. Same entries → same bytes.
/// </summary>
public static class JournalCsv
{
    public const string Header = "entry_id,date,kind,customer,currency,document_id,document_number,account_code,account_name,debit,credit,line_id,description,memo";

    public static string Write(IReadOnlyList<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var entry in entries)
        {
            foreach (var line in entry.Lines)
            {
                csv.AppendJoin(',',
                    entry.Id,
                    entry.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Kind(entry.Kind),
                    Field(entry.Customer),
                    entry.Currency,
                    Field(entry.DocumentId ?? ""),
                    Field(entry.DocumentNumber ?? ""),
                    line.Account.Code,
                    Field(line.Account.Name),
                    line.Debit == 0m ? "" : CurrencyMath.Format(line.Debit, entry.Currency),
                    line.Credit == 0m ? "" : CurrencyMath.Format(line.Credit, entry.Currency),
                    Field(line.LineId ?? ""),
                    Field(line.Description),
                    Field(entry.Memo)).Append('\n');
            }
        }
        return csv.ToString();
    }

    /// <summary>The kind as written in every export: snake case (credit_note, credit_purchase…).</summary>
    public static string Kind(JournalEntryKind kind) => kind switch
    {
        JournalEntryKind.CreditNote => "credit_note",
        JournalEntryKind.CreditPurchase => "credit_purchase",
        JournalEntryKind.CreditExpiry => "credit_expiry",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
