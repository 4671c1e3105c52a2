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
            foreach (var guard in invoice.Guards.Where(g => g.Triggered))
            {
                console.MarkupLineInterpolated($"  [red]guard {guard.Guard} triggered ({guard.Action}):[/] {guard.Detail}");
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

    public static void WriteComparison(TextWriter output, RevenueComparison comparison, string baselineName, string candidateName)
    {
        var console = Terminal.For(output);
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Customer").AddColumn("Currency")
            .AddColumn(new TableColumn(baselineName).RightAligned())
            .AddColumn(new TableColumn(candidateName).RightAligned())
            .AddColumn(new TableColumn("Difference").RightAligned())
            .AddColumn(new TableColumn("Change").RightAligned());
        foreach (var row in comparison.Rows)
        {
            var change = row.Baseline == 0m
                ? (row.Candidate == 0m ? "0%" : "new")
                : (row.Difference / row.Baseline * 100m).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";
            table.AddRow(
                Markup.Escape(row.Customer), row.Currency,
                CurrencyMath.Format(row.Baseline, row.Currency),
                CurrencyMath.Format(row.Candidate, row.Currency),
                Signed(row.Difference, row.Currency),
                change);
        }
        console.Write(table);
    }

    private static Table InvoiceTable(Invoice invoice)
    {
        var c = invoice.Currency;
        var versions = string.Join(",", invoice.Versions.Select(v => "v" + v.ToString(CultureInfo.InvariantCulture)));
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{invoice.Customer} · {invoice.Contract} {versions} · {UtcTimestamp.Format(invoice.PeriodFrom)[..10]} → {UtcTimestamp.Format(invoice.PeriodTo)[..10]} · {c} · {invoice.Status.ToString().ToLowerInvariant()}"))
            .AddColumn("Line").AddColumn("Contract")
            .AddColumn(new TableColumn("Qty").RightAligned())
            .AddColumn(new TableColumn("Unit price").RightAligned())
            .AddColumn(new TableColumn("Amount").RightAligned());
        foreach (var line in invoice.Lines)
        {
            var description = line.Note is null ? line.Description : $"{line.Description}\n  {line.Note}";
            table.AddRow(
                Markup.Escape(description),
                Markup.Escape($"{line.Contract} v{line.Version}"),
                line.Quantity.ToString(CultureInfo.InvariantCulture),
                line.UnitPrice is { } p ? CurrencyMath.FormatPrice(p, c) : "",
                CurrencyMath.Format(line.Amount, c));
        }
        table.AddEmptyRow();
        table.AddRow("Subtotal", "", "", "", CurrencyMath.Format(invoice.Subtotal, c));
        if (invoice.CreditsApplied != 0m) table.AddRow("Credits", "", "", "", "-" + CurrencyMath.Format(invoice.CreditsApplied, c));
        table.AddRow("[bold]Total[/]", "", "", "", $"[bold]{CurrencyMath.Format(invoice.Total, c)}[/]");
        return table;
    }

    private static string Signed(decimal amount, string currency) =>
        (amount > 0m ? "+" : "") + CurrencyMath.Format(amount, currency);
}
