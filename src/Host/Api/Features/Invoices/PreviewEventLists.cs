using System.Globalization;
using System.Text.Json;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Host.Api.Features.Invoices;

/// <summary>
/// A preview line lists its counted events, pending outcomes and excluded events; for a large customer those lists
/// are most of the answer (10.9 MB at 100,000 events, docs/performance.md §9). Above <see cref="Limit"/> entries the
/// preview shows the first <see cref="Limit"/> of each list and an <c>eventLists</c> summary — totals, exclusions by
/// reason, and a cursor to the rest — while every line keeps its explanation (rule, contract version, quantity,
/// amount, breakdown). The rest is paged by <c>GET …/invoices/preview/lines/{line}/events</c>. Finalized invoices
/// are never summarised: they keep every event reference.
/// </summary>
internal static class PreviewEventLists
{
    /// <summary>The most entries of one list a preview line shows, and the largest page of the drill-down.</summary>
    public const int Limit = 1000;

    public const string Events = "events";
    public const string Pending = "pending";
    public const string Excluded = "excluded";

    public static readonly string[] Lists = [Events, Pending, Excluded];

    public static bool IsLarge(InvoiceLine line) => line.Events.Count > Limit || line.Pending.Count > Limit || line.Excluded.Count > Limit;

    /// <summary>The invoice as the preview writes it: its large lines' lists cut to their first <see cref="Limit"/> entries.</summary>
    public static Invoice Shown(Invoice invoice) => invoice.Lines.Any(IsLarge)
        ? invoice with
        {
            Lines = invoice.Lines.Select(l => IsLarge(l)
                ? l with { Events = [.. l.Events.Take(Limit)], Excluded = [.. l.Excluded.Take(Limit)], Pending = [.. l.Pending.Take(Limit)] }
                : l).ToList(),
        }
        : invoice;

    /// <summary>
    /// Writes a large line's <c>eventLists</c> summary (nothing for the others, so small previews keep their bytes):
    /// per list the total, how many are shown and the path of the page after them; exclusions by reason.
    /// </summary>
    public static void WriteSummary(Utf8JsonWriter writer, Invoice original, InvoiceLine line, DateTimeOffset? at)
    {
        var full = original.Lines.First(l => l.Id == line.Id);
        if (!IsLarge(full)) return;
        writer.WriteStartObject("eventLists");
        writer.WriteNumber("limit", Limit);
        WriteList(writer, original.Customer, full, Events, full.Events.Count, full.Events.Count > Limit ? full.Events[Limit - 1] : null, at);
        WriteList(writer, original.Customer, full, Pending, full.Pending.Count, full.Pending.Count > Limit ? full.Pending[Limit - 1].Id : null, at);
        WriteList(writer, original.Customer, full, Excluded, full.Excluded.Count, full.Excluded.Count > Limit ? full.Excluded[Limit - 1].Id : null, at);
        writer.WriteStartObject("excludedByReason");
        foreach (var reason in full.Excluded.GroupBy(x => x.Reason, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(reason.Key, reason.Count());
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter writer, string customer, InvoiceLine line, string list, int total, string? lastShown, DateTimeOffset? at)
    {
        writer.WriteStartObject(list);
        writer.WriteNumber("total", total);
        writer.WriteNumber("shown", Math.Min(total, Limit));
        if (lastShown is null) writer.WriteNull("next");
        else writer.WriteString("next", Path(customer, line.Id, new PreviewCursor(list, Limit, lastShown), at));
        writer.WriteEndObject();
    }

    /// <summary>The drill-down path of the page at <paramref name="cursor"/>.</summary>
    public static string Path(string customer, string line, PreviewCursor cursor, DateTimeOffset? at) =>
        $"/v1/customers/{Uri.EscapeDataString(customer)}/invoices/preview/lines/{Uri.EscapeDataString(line)}/events?cursor={cursor.Encode()}"
        + (at is { } instant ? "&at=" + Uri.EscapeDataString(instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)) : "");

    /// <summary>
    /// One page of <paramref name="list"/> of <paramref name="line"/>: from the start, or after the entry the cursor
    /// names — found at the cursor's offset, or searched for when the list moved since; null when it is no longer
    /// in the list (the caller answers 409: start again).
    /// </summary>
    public static (IReadOnlyList<PreviewLineEventView> Items, PreviewCursor? Next)? Page(InvoiceLine line, string list, PreviewCursor? cursor, int size)
    {
        var ids = list switch
        {
            Events => line.Events,
            Pending => line.Pending.Select(p => p.Id).ToList(),
            _ => line.Excluded.Select(x => x.Id).ToList(),
        };
        var start = 0;
        if (cursor is not null)
        {
            start = cursor.Offset <= ids.Count && ids[cursor.Offset - 1] == cursor.LastId
                ? cursor.Offset
                : IndexOf(ids, cursor.LastId) is var index and >= 0 ? index + 1 : -1;
            if (start < 0) return null;
        }
        var end = Math.Min(ids.Count, start + size);
        var items = new List<PreviewLineEventView>(end - start);
        for (var i = start; i < end; i++)
        {
            items.Add(list switch
            {
                Events => new PreviewLineEventView(line.Events[i], null, null, null),
                Pending => new PreviewLineEventView(line.Pending[i].Id, line.Pending[i].BillableAt, null, null),
                _ => new PreviewLineEventView(line.Excluded[i].Id, null, line.Excluded[i].Reason, line.Excluded[i].Detail),
            });
        }
        return (items, end < ids.Count ? new PreviewCursor(list, end, ids[end - 1]) : null);
    }

    private static int IndexOf(IReadOnlyList<string> ids, string id)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] == id) return i;
        }
        return -1;
    }
}
