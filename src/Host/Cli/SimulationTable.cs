using System.Globalization;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;
using Spectre.Console;

namespace RulesBilling.Host.Cli;

/// <summary><c>simulate --format table</c>: a readable invoice per customer period, for people.</summary>
internal static class SimulationTable
{
    public static void Write(TextWriter output, SimulationResult result, string eventsFile = "<events>")
    {
        var console = Terminal.For(output);
        if (result.Invoices.Count == 0) console.MarkupLine("[yellow]No invoices: no customer period in range has a contract and events.[/]");

        foreach (var invoice in result.Invoices)
        {
            console.Write(InvoiceTable(invoice));
            var excluded = invoice.Lines.SelectMany(l => l.Excluded).DistinctBy(e => (e.Id, e.Reason)).ToList();
            if (excluded.Count > 0)
            {
                var reasons = excluded.GroupBy(e => e.Reason).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => $"{g.Key} {g.Count()}");
                console.WriteLine($"  excluded: {excluded.Count} event{(excluded.Count == 1 ? "" : "s")} ({string.Join(", ", reasons)})");
            }
            var pending = invoice.Lines.SelectMany(l => l.Pending).DistinctBy(p => p.Id).ToList();
            if (pending.Count > 0)
            {
                var dates = pending.GroupBy(p => UtcTimestamp.Format(p.BillableAt)[..10]).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
                var when = dates.Count == 1 ? $"on {dates[0].Key}" : string.Join(", ", dates.Select(g => $"{g.Count()} on {g.Key}"));
                console.WriteLine($"  pending: {pending.Count} outcome{(pending.Count == 1 ? "" : "s")} not billed yet, billable {when}");
            }
            foreach (var guard in invoice.Guards)
            {
                if (guard.Triggered) console.MarkupLineInterpolated($"  [red]{LineText.Guard(guard)}[/]");
                else console.WriteLine("  " + LineText.Guard(guard));
            }
            console.WriteLine();
        }

        if (result.Rejected.Count > 0)
        {
            console.MarkupLineInterpolated($"[yellow]{result.Rejected.Count} event(s) rejected at ingestion:[/]");
            foreach (var r in result.Rejected)
            {
                console.WriteLine("  " + RejectedEventText.Format(eventsFile, r));
            }
        }
        if (result.Unbilled.Count > 0)
        {
            console.MarkupLineInterpolated($"[yellow]{result.Unbilled.Count} event(s) not billed on any invoice:[/]");
            foreach (var u in result.Unbilled)
                console.WriteLine($"  {u.EventId} ({u.Customer}, {u.Type}, {UtcTimestamp.Format(u.Time)}): {u.Reason}: {u.Detail}");
        }
        if (result.Errors.Count > 0)
        {
            console.MarkupLineInterpolated($"[red]{result.Errors.Count} rating error(s); see stderr.[/]");
        }
    }

    private static Table InvoiceTable(Invoice invoice)
    {
        var c = invoice.Currency;
        var versions = string.Join(",", invoice.Versions.Select(v => "v" + v.ToString(CultureInfo.InvariantCulture)));
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{invoice.Customer} · {invoice.Contract} {versions} · {UtcTimestamp.Format(invoice.PeriodFrom)[..10]} → {UtcTimestamp.Format(invoice.PeriodTo)[..10]} · {c} · {invoice.Status.ToString().ToLowerInvariant()}{ThresholdText.Title(invoice)}"))
            .AddColumn("Line").AddColumn("Contract")
            .AddColumn(new TableColumn("Qty").RightAligned())
            .AddColumn(new TableColumn("Unit price").RightAligned())
            .AddColumn(new TableColumn("Amount").RightAligned());
        foreach (var line in invoice.Lines)
        {
            // One row when quantity × unit price is the amount; otherwise the steps under the label, and no unit
            // price on the row, so the row never shows arithmetic that does not add up (16 × 1.20 ≠ 7.20).
            var simple = LineText.SaysItAll(line);
            var details = simple ? [] : LineText.Steps(line, c).ToList();
            if (line.Note is not null) details.Add(line.Note);
            var description = string.Join("\n  ", details.Prepend(line.Description));
            table.AddRow(
                Markup.Escape(description),
                Markup.Escape($"{line.Contract} v{line.Version}"),
                CurrencyMath.Normalize(line.Quantity).ToString(CultureInfo.InvariantCulture),
                simple && line.UnitPrice is { } p ? CurrencyMath.FormatPrice(p, c) : "",
                CurrencyMath.Format(line.Amount, c));
        }
        table.AddEmptyRow();
        table.AddRow("Subtotal", "", "", "", CurrencyMath.Format(invoice.Subtotal, c));
        // An exclusive tax is a line of its own; an inclusive one is inside the amounts, so it is stated, not added.
        foreach (var tax in invoice.Taxes.Where(t => t.Inclusive))
        {
            table.AddRow(Markup.Escape($"{tax.Label} {InvoiceJson.Rate(tax.Rate)} included (on {CurrencyMath.Format(tax.Taxable, c)} net)"), "", "", "",
                Markup.Escape(CurrencyMath.Format(tax.Amount, c)));
        }
        if (invoice.CreditsApplied != 0m) table.AddRow("Credits", "", "", "", "-" + CurrencyMath.Format(invoice.CreditsApplied, c));
        table.AddRow("[bold]Total[/]", "", "", "", $"[bold]{CurrencyMath.Format(invoice.Total, c)}[/]");
        return table;
    }
}
