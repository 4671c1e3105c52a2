using System.Globalization;
using System.Text;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Host.Cli;

/// <summary>
/// An invoice as plain text with its explanation: per line the rule and version, the arithmetic, the events
/// counted and the events excluded with the reason. For the REPL, where a person reads one invoice closely.
/// </summary>
internal static class InvoiceText
{
    private const int ListedEvents = 5;

    public static string Render(Invoice invoice)
    {
        var c = invoice.Currency;
        var sb = new StringBuilder();
        var versions = string.Join(",", invoice.Versions.Select(v => "v" + v.ToString(CultureInfo.InvariantCulture)));
        sb.Append($"{invoice.Customer} · {invoice.Contract} {versions} · {Day(invoice.PeriodFrom)} → {Day(invoice.PeriodTo)} · {c} · {invoice.Status.ToString().ToLowerInvariant()}{ThresholdText.Title(invoice)}\n");
        foreach (var line in invoice.Lines)
        {
            sb.Append(RenderLine(line, c));
        }
        foreach (var excluded in invoice.Excluded)
        {
            sb.Append($"  excluded {excluded.Id} ({excluded.Outcome}, no charge line): {excluded.Reason}{(excluded.Detail is null ? "" : $" ({excluded.Detail})")}\n");
        }
        foreach (var tax in invoice.Taxes)
        {
            sb.Append($"  tax {tax.Label} {InvoiceJson.Rate(tax.Rate)} {(tax.Inclusive ? "included" : "added")}: {CurrencyMath.Format(tax.Amount, c)} on {CurrencyMath.Format(tax.Taxable, c)} net\n");
        }
        sb.Append($"  subtotal {CurrencyMath.Format(invoice.Subtotal, c)} · credits {CurrencyMath.Format(invoice.CreditsApplied, c)} · total {CurrencyMath.Format(invoice.Total, c)}\n");
        foreach (var guard in invoice.Guards)
        {
            sb.Append($"  {LineText.Guard(guard)}\n");
        }
        return sb.ToString();
    }

    /// <summary>One line: label and amount, its arithmetic, its rule, the events counted, pending and excluded.</summary>
    /// <param name="listAll">Every counted event (explain), instead of the first few (the REPL's whole invoice).</param>
    public static string RenderLine(InvoiceLine line, string c, bool listAll = false)
    {
        var sb = new StringBuilder();
        var simple = LineText.SaysItAll(line);
        var price = simple && line.UnitPrice is { } p ? $" × {CurrencyMath.FormatPrice(p, c)}" : "";
        sb.Append($"  {line.Description}: {Quantity(line.Quantity)}{price} = {CurrencyMath.Format(line.Amount, c)}\n");
        if (line.Explanation is not null) sb.Append($"      {line.Explanation}\n");
        if (!simple)
            foreach (var step in LineText.Steps(line, c)) sb.Append($"      {step}\n");
        sb.Append($"      rule {line.Rule}, {line.Contract} v{line.Version}, file {line.RuleFileHash[..12]}");
        if (line.Note is not null) sb.Append($", {line.Note}");
        sb.Append('\n');
        if (line.Events.Count > 0) sb.Append($"      counted {line.Events.Count}: {(listAll ? string.Join(", ", line.Events) : Listed(line.Events))}\n");
        foreach (var pending in line.Pending)
            sb.Append($"      pending {pending.Id}: billable at {UtcTimestamp.Format(pending.BillableAt)}\n");
        foreach (var excluded in line.Excluded)
            sb.Append($"      excluded {excluded.Id}: {excluded.Reason}{(excluded.Detail is null ? "" : $" ({excluded.Detail})")}\n");
        return sb.ToString();
    }

    private static string Listed(IReadOnlyList<string> ids) =>
        string.Join(", ", ids.Take(ListedEvents)) + (ids.Count > ListedEvents ? $", … {ids.Count - ListedEvents} more" : "");

    private static string Quantity(decimal q) => CurrencyMath.Normalize(q).ToString(CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset t) => UtcTimestamp.Format(t)[..10];
}
