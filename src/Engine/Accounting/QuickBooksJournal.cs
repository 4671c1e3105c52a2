using System.Text;
using System.Text.Json;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Accounting;

/// <summary>
/// Journal entries as QuickBooks Online <c>JournalEntry</c> request bodies (POST /v3/company/{realmId}/journalentry):
/// <c>TxnDate</c>, <c>DocNumber</c> (≤ 21 characters: the entry id shortened, unique per entry), <c>PrivateNote</c>,
/// <c>CurrencyRef</c>, and one <c>JournalEntryLineDetail</c> line per journal line with a positive <c>Amount</c> and its
/// <c>PostingType</c>. Accounts are referred to by our codes (map them to the company's account ids when importing);
/// lines on accounts receivable carry the customer as <c>Entity</c>, as QuickBooks requires.
/// </summary>
public static class QuickBooksJournal
{
    public const int DocNumberLength = 21;

    public static string DocNumber(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Id.Length <= DocNumberLength ? entry.Id : entry.Id[..DocNumberLength];
    }

    /// <summary>One request body.</summary>
    public static string Serialize(JournalEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, InvoiceJson.Options)) Write(writer, entry);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Every entry, as a JSON array of request bodies (the export).</summary>
    public static string Serialize(IReadOnlyList<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, InvoiceJson.Options))
        {
            writer.WriteStartArray();
            foreach (var entry in entries) Write(writer, entry);
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entry);
        writer.WriteStartObject();
        writer.WriteString("TxnDate", entry.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteString("DocNumber", DocNumber(entry));
        writer.WriteString("PrivateNote", $"{entry.Memo} [{JournalCsv.Kind(entry.Kind)} {entry.Id}]");
        writer.WriteStartObject("CurrencyRef");
        writer.WriteString("value", entry.Currency);
        writer.WriteEndObject();
        writer.WriteStartArray("Line");
        for (var i = 0; i < entry.Lines.Count; i++)
        {
            var line = entry.Lines[i];
            writer.WriteStartObject();
            writer.WriteString("Id", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("Description", line.LineId is null ? line.Description : $"{line.Description} [line {line.LineId}]");
            // QuickBooks reads amounts as JSON numbers; written from the decimal's exact minor-unit text, never a double.
            writer.WritePropertyName("Amount");
            writer.WriteRawValue(CurrencyMath.Format(line.Debit != 0m ? line.Debit : line.Credit, entry.Currency));
            writer.WriteString("DetailType", "JournalEntryLineDetail");
            writer.WriteStartObject("JournalEntryLineDetail");
            writer.WriteString("PostingType", line.Debit != 0m ? "Debit" : "Credit");
            writer.WriteStartObject("AccountRef");
            writer.WriteString("value", line.Account.Code);
            writer.WriteString("name", line.Account.Name);
            writer.WriteEndObject();
            if (line.Account == LedgerAccounts.Receivables)
            {
                writer.WriteStartObject("Entity");
                writer.WriteString("Type", "Customer");
                writer.WriteStartObject("EntityRef");
                writer.WriteString("value", entry.Customer);
                writer.WriteString("name", entry.Customer);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
