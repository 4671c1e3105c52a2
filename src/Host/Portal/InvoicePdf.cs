using System.Text.Json;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Host.Portal;

/// <summary>
/// The PDF of an issued invoice or credit note, drawn with PDFsharp (MIT): the same facts, lines, explanation summary,
/// guards and totals as the printable page, from the same invoice JSON. Text is real text in an embedded font
/// (DejaVu Sans, shipped in the assembly), so it can be searched, copied and extracted.
/// </summary>
internal static class InvoicePdf
{
    private const double PageWidth = 595, PageHeight = 842, Margin = 50;
    private const double Usable = PageWidth - 2 * Margin;

    static InvoicePdf() => EmbeddedFonts.Install();

    /// <summary>The PDF answer; a held document (not issued) has none.</summary>
    public static IResult Result(HttpContext http, InvoiceDocument doc)
    {
        if (!doc.Printable)
            throw new Api.Infrastructure.ApiProblemException(StatusCodes.Status409Conflict, "Conflict",
                $"{doc.Title} {doc.Name} is {InvoiceNames.Of(doc.Invoice.Status)}: only finalized and void documents have a PDF.");
        Html.Secure(http.Response);
        return Results.File(Render(doc), "application/pdf", $"{doc.Name}.pdf");
    }

    public static byte[] Render(InvoiceDocument doc)
    {
        var invoice = doc.Invoice;
        var currency = invoice.Currency;
        using var pdf = new PdfDocument();
        pdf.Info.Title = $"{doc.Title} {doc.Name}";
        pdf.Info.Subject = $"{invoice.Customer} {Html.Date(invoice.PeriodFrom)} to {Html.Date(invoice.PeriodTo)}";
        pdf.Info.Creator = "RulesBilling";
        var w = new Writer(pdf);

        w.Text($"{doc.Title} {doc.Name}", w.Title);
        w.Text($"Status: {doc.Str("status")}" + (invoice.Status == InvoiceStatus.Void ? " — this document is void" : ""), w.Bold);
        w.Gap(4);
        w.Text($"Customer: {invoice.Customer}", w.Body);
        w.Text($"Period: {Html.Date(invoice.PeriodFrom)} to {Html.Date(invoice.PeriodTo)} (end exclusive)", w.Body);
        w.Text($"Contract: {invoice.Contract} version {string.Join(", ", invoice.Versions.Order())}", w.Body);
        w.Text($"Currency: {currency}", w.Body);
        if (invoice.Corrects is not null) w.Text($"Corrects: {invoice.Corrects}", w.Body);
        if (invoice.VoidReason is not null) w.Text($"Void reason: {invoice.VoidReason}", w.Body);
        w.Text($"Document id: {invoice.Id}", w.Small);
        w.Gap(10);

        double[] columns = [Usable - 230, 60, 80, 90];
        w.Row(["Charge", "Quantity", "Unit price", $"Amount ({currency})"], columns, w.Bold);
        w.Rule();
        foreach (var line in doc.Lines)
        {
            w.Row([InvoiceDocument.LineTitle(line), JsonHtml.Str(line, "quantity") ?? "", JsonHtml.Str(line, "unitPrice") ?? "—", JsonHtml.Str(line, "amount") ?? ""],
                columns, w.Body);
        }
        w.Rule();
        double[] totals = [Usable - 90, 90];
        w.Row(["Subtotal", doc.Str("subtotal")], totals, w.Body);
        foreach (var (label, amount) in InvoiceDocument.IncludedTaxes(doc.Root)) w.Row([label, amount], totals, w.Body);
        w.Row(["Credits applied", doc.Str("credits")], totals, w.Body);
        w.Row([$"Total ({currency})", doc.Str("total")], totals, w.Bold);
        w.Gap(12);

        w.Text("How each charge was calculated", w.Heading);
        foreach (var line in doc.Lines)
        {
            w.Text($"{InvoiceDocument.LineTitle(line)} — {JsonHtml.Str(line, "amount")} {currency}", w.Bold);
            foreach (var sentence in InvoiceDocument.Summary(line, currency)) w.Text("• " + sentence, w.Body, indent: 10);
            w.Gap(4);
        }
        if (doc.Root.TryGetProperty("excluded", out var invoiceExcluded))
        {
            w.Text("Events not charged on any line", w.Heading);
            foreach (var x in invoiceExcluded.EnumerateArray())
                w.Text($"• {JsonHtml.Str(x, "id")} ({JsonHtml.Str(x, "outcome")}): {JsonHtml.Str(x, "reason")}{(JsonHtml.Str(x, "detail") is { } d ? " — " + d : "")}", w.Body, indent: 10);
        }
        var guards = doc.Root.GetProperty("guards").EnumerateArray().ToList();
        if (guards.Count > 0)
        {
            w.Text("Guards", w.Heading);
            foreach (var g in guards)
            {
                var result = g.GetProperty("triggered").GetBoolean() ? "triggered" : "passed";
                w.Text($"• {JsonHtml.Str(g, "guard")} ({JsonHtml.Str(g, "condition")}, then {JsonHtml.Str(g, "action")}): {result}. {JsonHtml.Str(g, "detail")}", w.Body, indent: 10);
            }
        }
        w.Gap(8);
        w.Text($"Rule set {doc.Str("ruleSetHash")}", w.Small);
        w.Footer(doc);

        using var output = new MemoryStream();
        pdf.Save(output, false);
        return output.ToArray();
    }

    /// <summary>Flows text down the page, wrapping at word boundaries and starting a new page when one is full.</summary>
    private sealed class Writer
    {
        private readonly PdfDocument _pdf;
        private XGraphics _g = null!;
        private double _y;

        public readonly XFont Title = new(EmbeddedFonts.Family, 18, XFontStyleEx.Bold);
        public readonly XFont Heading = new(EmbeddedFonts.Family, 13, XFontStyleEx.Bold);
        public readonly XFont Bold = new(EmbeddedFonts.Family, 10, XFontStyleEx.Bold);
        public readonly XFont Body = new(EmbeddedFonts.Family, 10, XFontStyleEx.Regular);
        public readonly XFont Small = new(EmbeddedFonts.Family, 8, XFontStyleEx.Regular);

        public Writer(PdfDocument pdf)
        {
            _pdf = pdf;
            NewPage();
        }

        private void NewPage()
        {
            _g?.Dispose();
            var page = _pdf.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            _g = XGraphics.FromPdfPage(page);
            _y = Margin;
        }

        private void Need(double height)
        {
            if (_y + height > PageHeight - Margin - 20) NewPage();
        }

        public void Gap(double points) => _y += points;

        public void Text(string text, XFont font, double indent = 0)
        {
            foreach (var line in Wrap(text, font, Usable - indent))
            {
                var height = font.GetHeight() * 1.15;
                Need(height);
                _g.DrawString(line, font, XBrushes.Black, new XRect(Margin + indent, _y, Usable - indent, height), XStringFormats.TopLeft);
                _y += height;
            }
        }

        /// <summary>One table row: the first cell wraps, the others are right-aligned numbers.</summary>
        public void Row(IReadOnlyList<string> cells, IReadOnlyList<double> widths, XFont font)
        {
            var first = Wrap(cells[0], font, widths[0] - 6);
            var height = font.GetHeight() * 1.15;
            Need(height * first.Count);
            for (var i = 0; i < first.Count; i++)
                _g.DrawString(first[i], font, XBrushes.Black, new XRect(Margin, _y + i * height, widths[0], height), XStringFormats.TopLeft);
            var x = Margin + widths[0];
            for (var c = 1; c < cells.Count; c++)
            {
                _g.DrawString(cells[c], font, XBrushes.Black, new XRect(x, _y, widths[c], height), XStringFormats.TopRight);
                x += widths[c];
            }
            _y += height * first.Count + 2;
        }

        public void Rule()
        {
            Need(4);
            _g.DrawLine(XPens.Gray, Margin, _y, Margin + Usable, _y);
            _y += 4;
        }

        public void Footer(InvoiceDocument doc)
        {
            for (var i = 0; i < _pdf.PageCount; i++)
            {
                using var g = i == _pdf.PageCount - 1 ? _g : XGraphics.FromPdfPage(_pdf.Pages[i], XGraphicsPdfPageOptions.Append);
                g.DrawString($"{doc.Title} {doc.Name} · page {i + 1} of {_pdf.PageCount}", Small, XBrushes.Gray,
                    new XRect(Margin, PageHeight - Margin, Usable, 12), XStringFormats.TopLeft);
                if (i == _pdf.PageCount - 1) break;
            }
        }

        private List<string> Wrap(string text, XFont font, double width)
        {
            var lines = new List<string>();
            var current = "";
            foreach (var word in text.Split(' '))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (current.Length > 0 && _g.MeasureString(candidate, font).Width > width)
                {
                    lines.Add(current);
                    current = word;
                }
                else current = candidate;
                // A single word wider than the column (a long id) is cut so it never runs off the page.
                while (_g.MeasureString(current, font).Width > width && current.Length > 1)
                {
                    var cut = current.Length - 1;
                    while (cut > 1 && _g.MeasureString(current[..cut], font).Width > width) cut--;
                    lines.Add(current[..cut]);
                    current = current[cut..];
                }
            }
            lines.Add(current);
            return lines;
        }
    }
}

/// <summary>Gives PDFsharp the DejaVu Sans faces embedded in the assembly, whatever fonts the machine has.</summary>
internal sealed class EmbeddedFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private static readonly object Gate = new();
    private static bool _installed;

    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            // Global to PDFsharp: set once per process; another resolver already set (by a host embedding us) is kept.
            GlobalFontSettings.FontResolver ??= new EmbeddedFonts();
            _installed = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "DejaVuSans-Bold" : "DejaVuSans", false, italic);

    public byte[]? GetFont(string faceName) => PortalAssets.Read(faceName + ".ttf");
}
