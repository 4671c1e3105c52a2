using System.Text.Json;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Host.Portal;

/// <summary>
/// An invoice as the pages and the PDF read it: its deterministic invoice JSON (<see cref="InvoiceJson"/>), so both show
/// exactly what the API returns, and any field the engine adds to a line is shown too (see <see cref="Extra"/>).
/// </summary>
internal sealed class InvoiceDocument : IDisposable
{
    /// <summary>Line fields the pages lay out themselves; every other field is rendered generically.</summary>
    public static readonly HashSet<string> KnownLineFields = new(StringComparer.Ordinal)
    {
        "id", "kind", "label", "description", "rule", "contract", "version", "ruleFileHash", "segment", "quantity", "unitPrice",
        "amount", "tiers", "events", "excluded", "attribution", "note", "explanation", "breakdown", "pending",
    };

    private readonly JsonDocument _json;

    public InvoiceDocument(Invoice invoice)
    {
        Invoice = invoice;
        _json = JsonDocument.Parse(InvoiceJson.SerializeToUtf8Bytes(invoice));
    }

    public Invoice Invoice { get; }

    public JsonElement Root => _json.RootElement;

    public IEnumerable<JsonElement> Lines => Root.GetProperty("lines").EnumerateArray();

    public string Str(string name) => JsonHtml.Str(Root, name) ?? "";

    public string Title => Invoice.Kind switch
    {
        InvoiceKind.CreditNote => "Credit note",
        InvoiceKind.Adjustment => "Adjustment invoice",
        _ => "Invoice",
    };

    public string Name => Invoice.Number ?? Invoice.Id;

    /// <summary>Whether the document is issued (finalized or voided after issue) and so has a PDF and printable page.</summary>
    public bool Printable => Invoice.Status is InvoiceStatus.Finalized or InvoiceStatus.Void;

    public void Dispose() => _json.Dispose();

    /// <summary>What a customer reads as the line's name: its label when the rules give one, else its description.</summary>
    /// <summary>The inclusive taxes of an invoice (docs/dsl-spec.md §9.15), e.g. ("GST 10% included (net 177.27)", "17.73").</summary>
    public static IReadOnlyList<(string Label, string Amount)> IncludedTaxes(JsonElement invoice) =>
        invoice.TryGetProperty("taxes", out var taxes)
            ? taxes.EnumerateArray().Where(t => JsonHtml.Str(t, "mode") == "inclusive")
                .Select(t => ($"{JsonHtml.Str(t, "label")} {JsonHtml.Str(t, "rate")} included (net {JsonHtml.Str(t, "taxable")})", JsonHtml.Str(t, "amount") ?? ""))
                .ToList()
            : [];

    public static string LineTitle(JsonElement line) => JsonHtml.Str(line, "label") is { Length: > 0 } label ? label : JsonHtml.Str(line, "description") ?? "";

    /// <summary>The line's arithmetic steps (<c>breakdown</c>), empty for documents written before lines had them.</summary>
    public static IReadOnlyList<JsonElement> Steps(JsonElement line) =>
        line.TryGetProperty("breakdown", out var b) && b.ValueKind == JsonValueKind.Array ? [.. b.EnumerateArray()] : [];

    /// <summary>Outcomes of the line still in their validation window (<c>pending</c>), with the instant each becomes billable.</summary>
    public static IReadOnlyList<JsonElement> Pending(JsonElement line) =>
        line.TryGetProperty("pending", out var p) && p.ValueKind == JsonValueKind.Array ? [.. p.EnumerateArray()] : [];

    /// <summary>Fields of a line the pages do not lay out themselves, in the JSON's order.</summary>
    public static IEnumerable<JsonProperty> Extra(JsonElement line) => line.EnumerateObject().Where(p => !KnownLineFields.Contains(p.Name));

    /// <summary>
    /// The explanation of a line in sentences: which rule and contract version produced it, its arithmetic, how many
    /// events it counted and excluded (by reason), its note, and every further explanation field the line carries.
    /// </summary>
    public static IReadOnlyList<string> Summary(JsonElement line, string currency)
    {
        var s = new List<string>();
        s.Add($"Rule {JsonHtml.Str(line, "rule")} of contract {JsonHtml.Str(line, "contract")} version {line.GetProperty("version").GetRawText()}.");
        if (JsonHtml.Str(line, "explanation") is { Length: > 0 } explanation) s.Add(explanation);
        // The engine's breakdown steps add up to the line amount (free units, tiers, caps included); a page never
        // re-derives "quantity × unit price", which is wrong as soon as free units or a cap apply.
        var steps = Steps(line);
        if (steps.Count > 0)
        {
            s.AddRange(steps.Select(step => JsonHtml.Str(step, "text") ?? ""));
        }
        else
        {
            var unitPrice = JsonHtml.Str(line, "unitPrice");
            var tiers = line.GetProperty("tiers").EnumerateArray().ToList();
            if (tiers.Count == 0 && unitPrice is not null)
                s.Add($"{JsonHtml.Str(line, "quantity")} × {unitPrice} {currency} = {JsonHtml.Str(line, "amount")} {currency}.");
            foreach (var tier in tiers)
            {
                var upTo = JsonHtml.Str(tier, "upTo");
                s.Add($"Tier {JsonHtml.Str(tier, "from")}–{upTo ?? "∞"}: {JsonHtml.Str(tier, "quantity")} × {JsonHtml.Str(tier, "unitPrice")} = {JsonHtml.Str(tier, "amount")} {currency}.");
            }
        }
        var counted = line.GetProperty("events").GetArrayLength();
        var excluded = line.GetProperty("excluded").EnumerateArray().ToList();
        s.Add(counted == 1 ? "1 event counted." : $"{counted} events counted.");
        if (excluded.Count > 0)
        {
            var reasons = excluded.GroupBy(e => JsonHtml.Str(e, "reason") ?? "").OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} ({g.Count()})");
            s.Add($"{excluded.Count} excluded: {string.Join(", ", reasons)}.");
        }
        var pending = Pending(line);
        if (pending.Count > 0)
        {
            var first = pending.Select(p => JsonHtml.Str(p, "billableAt") ?? "").Min(StringComparer.Ordinal);
            s.Add(pending.Count == 1 ? $"1 outcome pending in its validation window, billable from {first}."
                : $"{pending.Count} outcomes pending in their validation window, the first billable from {first}.");
        }
        if (JsonHtml.Str(line, "note") is { Length: > 0 } note) s.Add(note);
        foreach (var extra in Extra(line))
        {
            if (extra.Value.ValueKind is JsonValueKind.Null) continue;
            s.Add($"{JsonHtml.Label(extra.Name)}: {JsonHtml.Text(extra.Value)}");
        }
        return s;
    }
}
