using System.Text;
using System.Text.Json;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Host.Cli;

/// <summary>The text and JSON forms of <see cref="PlanDiff"/>.</summary>
internal static class PlanDiffText
{
    public static string Render(PlanDiff diff)
    {
        var sb = new StringBuilder();
        foreach (var invoice in diff.Invoices)
        {
            var c = invoice.Currency;
            sb.Append($"{Sign(invoice.Change)} {invoice.Customer} · {invoice.Contract} · {Day(invoice.PeriodFrom)} → {Day(invoice.PeriodTo)} · {c}: "
                + $"{Amount(invoice.Before, c)} → {Amount(invoice.After, c)} ({Difference(invoice.Before, invoice.After, c)})\n");
            foreach (var line in invoice.Lines)
            {
                var quantity = line.QuantityBefore == line.QuantityAfter || line.QuantityBefore is null || line.QuantityAfter is null
                    ? ""
                    : $", quantity {Q(line.QuantityBefore.Value)} → {Q(line.QuantityAfter.Value)}";
                sb.Append($"    {Sign(line.Change)} {line.Description}: {Amount(line.Before, c)} → {Amount(line.After, c)} ({Difference(line.Before, line.After, c)}){quantity}\n");
            }
            if (invoice.UnchangedLines > 0) sb.Append($"      {invoice.UnchangedLines} line{(invoice.UnchangedLines == 1 ? "" : "s")} unchanged\n");
        }
        if (diff.Invoices.Count > 0) sb.Append('\n');

        int Count(Change change) => diff.Invoices.Count(i => i.Change == change);
        sb.Append(diff.HasChanges
            ? $"Plan: {Count(Change.Added)} invoice(s) added, {Count(Change.Changed)} changed, {Count(Change.Removed)} removed, {diff.Unchanged} unchanged."
            : $"No changes: {diff.Unchanged} invoice(s) identical under both rule sets.");
        foreach (var total in diff.Totals)
            sb.Append($" Total {total.Currency}: {CurrencyMath.Format(total.Before, total.Currency)} → {CurrencyMath.Format(total.After, total.Currency)} ({Difference(total.Before, total.After, total.Currency)}).");
        sb.Append('\n');
        return sb.ToString();
    }

    public static void WriteJson(TextWriter output, PlanDiff diff)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, InvoiceJson.Options))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("changed", diff.HasChanges);
            writer.WriteStartArray("invoices");
            foreach (var invoice in diff.Invoices)
            {
                var c = invoice.Currency;
                writer.WriteStartObject();
                writer.WriteString("change", Name(invoice.Change));
                writer.WriteString("customer", invoice.Customer);
                writer.WriteString("contract", invoice.Contract);
                writer.WriteString("currency", c);
                InvoiceJson.WriteRange(writer, "period", invoice.PeriodFrom, invoice.PeriodTo);
                WriteAmounts(writer, invoice.Before, invoice.After, c);
                writer.WriteStartArray("lines");
                foreach (var line in invoice.Lines)
                {
                    writer.WriteStartObject();
                    writer.WriteString("change", Name(line.Change));
                    writer.WriteString("id", line.Id);
                    writer.WriteString("description", line.Description);
                    WriteNullable(writer, "quantityBefore", line.QuantityBefore is { } qb ? Q(qb) : null);
                    WriteNullable(writer, "quantityAfter", line.QuantityAfter is { } qa ? Q(qa) : null);
                    WriteAmounts(writer, line.Before, line.After, c);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteNumber("unchangedLines", invoice.UnchangedLines);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartObject("summary");
            foreach (var change in new[] { Change.Added, Change.Changed, Change.Removed })
                writer.WriteNumber(Name(change), diff.Invoices.Count(i => i.Change == change));
            writer.WriteNumber("unchanged", diff.Unchanged);
            writer.WriteStartArray("totals");
            foreach (var total in diff.Totals)
            {
                writer.WriteStartObject();
                writer.WriteString("currency", total.Currency);
                WriteAmounts(writer, total.Before, total.After, total.Currency);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        output.Write(Encoding.UTF8.GetString(buffer.ToArray()));
        output.Write('\n');
    }

    private static void WriteAmounts(Utf8JsonWriter writer, decimal? before, decimal? after, string currency)
    {
        WriteNullable(writer, "before", before is { } b ? CurrencyMath.Format(b, currency) : null);
        WriteNullable(writer, "after", after is { } a ? CurrencyMath.Format(a, currency) : null);
        writer.WriteString("difference", CurrencyMath.Format((after ?? 0m) - (before ?? 0m), currency));
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }

    private static string Name(Change change) => change switch
    {
        Change.Added => "added",
        Change.Removed => "removed",
        _ => "changed",
    };

    private static string Sign(Change change) => change switch
    {
        Change.Added => "+",
        Change.Removed => "-",
        _ => "~",
    };

    private static string Amount(decimal? amount, string currency) => amount is { } a ? CurrencyMath.Format(a, currency) : "(none)";

    private static string Difference(decimal? before, decimal? after, string currency)
    {
        var d = (after ?? 0m) - (before ?? 0m);
        return (d > 0m ? "+" : "") + CurrencyMath.Format(d, currency);
    }

    private static string Q(decimal q) => CurrencyMath.Normalize(q).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset t) => UtcTimestamp.Format(t)[..10];
}
