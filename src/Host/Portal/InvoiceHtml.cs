using System.Text;
using System.Text.Json;
using RulesBilling.Engine.Invoicing;
using static RulesBilling.Host.Portal.Html;

namespace RulesBilling.Host.Portal;

/// <summary>The body of an invoice page (portal, printable page): header facts, every line with its explanation, guards, totals.</summary>
internal static class InvoiceHtml
{
    /// <param name="lineHref">The drill-down page of a line (null: no links, as on the printable page).</param>
    public static string Body(InvoiceDocument doc, Func<string, string>? lineHref, string? pdfHref, string? printHref)
    {
        var invoice = doc.Invoice;
        var currency = invoice.Currency;
        var b = new StringBuilder();
        b.Append("<h1>").Append(E(doc.Title)).Append(' ').Append(E(doc.Name)).Append(" <span class=\"badge ").Append(E(doc.Str("status"))).Append("\">")
         .Append(E(doc.Str("status"))).Append("</span></h1>");
        if (pdfHref is not null || printHref is not null)
        {
            b.Append("<p class=\"actions\">");
            if (pdfHref is not null) b.Append("<a class=\"button\" href=\"").Append(E(pdfHref)).Append("\">Download PDF</a>");
            if (printHref is not null) b.Append("<a class=\"button secondary\" href=\"").Append(E(printHref)).Append("\">Printable page</a>");
            b.Append("</p>");
        }
        b.Append("<dl class=\"facts\">")
         .Append(Fact("Customer", E(invoice.Customer)))
         .Append(Fact("Period", E(Date(invoice.PeriodFrom)) + " to " + E(Date(invoice.PeriodTo)) + " <span class=\"muted\">(end exclusive)</span>"))
         .Append(Fact("Contract", E(invoice.Contract) + " version " + E(string.Join(", ", invoice.Versions.Order()))))
         .Append(Fact("Currency", E(currency)));
        if (invoice.Corrects is not null) b.Append(Fact("Corrects", E(invoice.Corrects)));
        if (invoice.Status == InvoiceStatus.Void)
        {
            b.Append(Fact("Voided", invoice.VoidedAt is { } at ? E(Time(at)) : "yes"));
            if (invoice.VoidReason is not null) b.Append(Fact("Void reason", E(invoice.VoidReason)));
        }
        b.Append(Fact("Document id", "<code>" + E(invoice.Id) + "</code>")).Append("</dl>");

        b.Append(Table("Summary of charges", ["Charge", "Quantity", "Unit price", $"Amount ({currency})"],
            doc.Lines.Select(l => (IReadOnlyList<string>)
            [
                lineHref is null ? E(InvoiceDocument.LineTitle(l)) : $"<a href=\"#line-{E(JsonHtml.Str(l, "id"))}\">{E(InvoiceDocument.LineTitle(l))}</a>",
                E(JsonHtml.Str(l, "quantity")), E(JsonHtml.Str(l, "unitPrice") ?? "—"), E(JsonHtml.Str(l, "amount")),
            ]), numeric: new HashSet<int> { 1, 2, 3 }, empty: "This document has no lines."));

        b.Append(Table("Totals", ["", currency],
        [
            ["Subtotal", E(doc.Str("subtotal"))],
            // An exclusive tax is a line above; an inclusive one is inside the amounts, so it is stated here.
            .. InvoiceDocument.IncludedTaxes(doc.Root).Select(t => (IReadOnlyList<string>)[E(t.Label), E(t.Amount)]),
            ["Credits applied", E(doc.Str("credits"))],
            ["Total", E(doc.Str("total"))],
        ], numeric: new HashSet<int> { 1 }).Replace("<table>", "<table class=\"totals\">", StringComparison.Ordinal));

        b.Append("<h2>How each charge was calculated</h2>");
        foreach (var line in doc.Lines) b.Append(Line(line, currency, lineHref));

        if (doc.Root.TryGetProperty("excluded", out var invoiceExcluded))
        {
            b.Append("<h2>Events not charged on any line</h2>");
            b.Append(Table("Excluded events", ["Event", "Outcome", "Reason", "Detail"],
                invoiceExcluded.EnumerateArray().Select(x => (IReadOnlyList<string>)
                    [E(JsonHtml.Str(x, "id")), E(JsonHtml.Str(x, "outcome")), E(JsonHtml.Str(x, "reason")), E(JsonHtml.Str(x, "detail") ?? "—")])));
        }

        b.Append("<h2>Guards</h2>");
        b.Append(Table("Guard results (every guard, triggered or not)", ["Guard", "Condition", "Action", "Result", "Detail"],
            doc.Root.GetProperty("guards").EnumerateArray().Select(g => (IReadOnlyList<string>)
            [
                E(JsonHtml.Str(g, "guard")), $"<code>{E(JsonHtml.Str(g, "condition"))}</code>", E(JsonHtml.Str(g, "action")),
                g.GetProperty("triggered").GetBoolean() ? "<span class=\"badge bad\">triggered</span>" : "<span class=\"badge ok\">passed</span>",
                E(JsonHtml.Str(g, "detail")),
            ]), empty: "No guard applies to this document."));

        var credits = doc.Root.GetProperty("creditApplications").EnumerateArray().ToList();
        if (credits.Count > 0)
        {
            b.Append(Table("Prepaid credit consumed", ["Grant", $"Amount ({currency})"],
                credits.Select(c => (IReadOnlyList<string>)[E(JsonHtml.Str(c, "grant")), E(JsonHtml.Str(c, "amount"))]), numeric: new HashSet<int> { 1 }));
        }
        b.Append("<p class=\"muted\">Rule set <code>").Append(E(doc.Str("ruleSetHash"))).Append("</code></p>");
        return b.ToString();
    }

    private static string Line(JsonElement line, string currency, Func<string, string>? lineHref)
    {
        var id = JsonHtml.Str(line, "id") ?? "";
        var b = new StringBuilder($"<section class=\"line\" id=\"line-{E(id)}\" aria-labelledby=\"line-{E(id)}-title\">");
        b.Append($"<h3 id=\"line-{E(id)}-title\">").Append(E(InvoiceDocument.LineTitle(line))).Append(" — ").Append(E(JsonHtml.Str(line, "amount")))
         .Append(' ').Append(E(currency)).Append("</h3>");
        b.Append("<ul>");
        foreach (var sentence in InvoiceDocument.Summary(line, currency)) b.Append("<li>").Append(E(sentence)).Append("</li>");
        b.Append("</ul>");
        var segment = line.GetProperty("segment");
        b.Append("<dl class=\"facts\">")
         .Append(Fact("Kind", E(JsonHtml.Str(line, "kind"))))
         .Append(Fact("Rule", "<code>" + E(JsonHtml.Str(line, "rule")) + "</code>"))
         .Append(Fact("Segment", E(JsonHtml.Str(segment, "from")) + " to " + E(JsonHtml.Str(segment, "to"))))
         .Append(Fact("Rule file", "<code>" + E(JsonHtml.Str(line, "ruleFileHash")) + "</code>"))
         .Append("</dl>");
        var steps = InvoiceDocument.Steps(line);
        if (steps.Count > 0)
        {
            b.Append(Table("How the amount adds up", ["Step", $"Amount ({currency})"],
                steps.Select(t => (IReadOnlyList<string>)[E(JsonHtml.Str(t, "text")), E(JsonHtml.Str(t, "amount"))]),
                numeric: new HashSet<int> { 1 }));
        }
        var pending = InvoiceDocument.Pending(line);
        if (pending.Count > 0)
        {
            b.Append(Table("Pending outcomes (not billed yet)", ["Outcome", "Billable from"],
                pending.Select(p => (IReadOnlyList<string>)[E(JsonHtml.Str(p, "id")), E(JsonHtml.Str(p, "billableAt"))])));
        }
        var tiers = line.GetProperty("tiers").EnumerateArray().ToList();
        if (tiers.Count > 0)
        {
            b.Append(Table("Tier breakdown", ["From", "Up to", "Quantity", "Unit price", $"Amount ({currency})"],
                tiers.Select(t => (IReadOnlyList<string>)
                [
                    E(JsonHtml.Str(t, "from")), E(JsonHtml.Str(t, "upTo") ?? "∞"), E(JsonHtml.Str(t, "quantity")),
                    E(JsonHtml.Str(t, "unitPrice")), E(JsonHtml.Str(t, "amount")),
                ]), numeric: new HashSet<int> { 2, 3, 4 }));
        }
        var attribution = line.GetProperty("attribution").EnumerateArray().ToList();
        if (attribution.Count > 0)
        {
            b.Append(Table("Attribution", ["Dimension", "Value", $"Amount ({currency})"],
                attribution.Select(a => (IReadOnlyList<string>)[E(JsonHtml.Str(a, "dimension")), E(JsonHtml.Str(a, "value") ?? "—"), E(JsonHtml.Str(a, "amount"))]),
                numeric: new HashSet<int> { 2 }));
        }
        var extra = InvoiceDocument.Extra(line).ToList();
        if (extra.Count > 0)
        {
            b.Append("<h4>More about this charge</h4><dl class=\"facts\">");
            foreach (var p in extra) b.Append(Fact(JsonHtml.Label(p.Name), JsonHtml.Value(p.Value)));
            b.Append("</dl>");
        }
        if (lineHref is not null)
        {
            b.Append("<p><a href=\"").Append(E(lineHref(id))).Append("\">Events counted and excluded for ")
             .Append(E(InvoiceDocument.LineTitle(line))).Append("</a></p>");
        }
        return b.Append("</section>").ToString();
    }

    public static string Fact(string term, string valueHtml) => $"<dt>{E(term)}</dt><dd>{valueHtml}</dd>";
}
