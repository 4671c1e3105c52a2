using System.Text;
using System.Text.Json;

namespace RulesBilling.Host.Portal;

/// <summary>
/// Renders any JSON value as readable HTML. Invoice pages show the fields they know in place and everything else through
/// this, so explanation fields the engine adds to its invoice JSON appear on the pages without a change here.
/// </summary>
internal static class JsonHtml
{
    public static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Html.E(value.GetString()),
        JsonValueKind.Number => Html.E(value.GetRawText()),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Null or JsonValueKind.Undefined => "<span class=\"muted\">none</span>",
        JsonValueKind.Array => Array(value),
        _ => Object(value, null),
    };

    /// <summary>The object's properties as a definition list, leaving out <paramref name="skip"/>.</summary>
    public static string Object(JsonElement value, ISet<string>? skip)
    {
        var b = new StringBuilder();
        foreach (var property in value.EnumerateObject())
        {
            if (skip?.Contains(property.Name) == true) continue;
            b.Append("<dt>").Append(Html.E(Label(property.Name))).Append("</dt><dd>").Append(Value(property.Value)).Append("</dd>");
        }
        return b.Length == 0 ? "" : "<dl class=\"facts\">" + b + "</dl>";
    }

    private static string Array(JsonElement value)
    {
        var items = value.EnumerateArray().ToList();
        if (items.Count == 0) return "<span class=\"muted\">none</span>";
        if (items.All(i => i.ValueKind != JsonValueKind.Object && i.ValueKind != JsonValueKind.Array))
            return string.Join(", ", items.Select(Value));
        if (items.All(i => i.ValueKind == JsonValueKind.Object))
        {
            var columns = items.SelectMany(i => i.EnumerateObject().Select(p => p.Name)).Distinct(StringComparer.Ordinal).ToList();
            var rows = items.Select(i => (IReadOnlyList<string>)columns
                .Select(c => i.TryGetProperty(c, out var cell) ? Value(cell) : "").ToList());
            return Html.Table("Details", columns.Select(Label).ToList(), rows);
        }
        return "<ul>" + string.Concat(items.Select(i => "<li>" + Value(i) + "</li>")) + "</ul>";
    }

    /// <summary>"ruleFileHash" → "Rule file hash".</summary>
    public static string Label(string name)
    {
        var b = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && b.Length > 0) b.Append(' ').Append(char.ToLowerInvariant(c));
            else if (c is '_' or '-') b.Append(' ');
            else b.Append(b.Length == 0 ? char.ToUpperInvariant(c) : c);
        }
        return b.ToString();
    }

    /// <summary>A plain-text rendering (for the PDF): scalars as text, arrays joined, objects as "name: value; …".</summary>
    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Null or JsonValueKind.Undefined => "none",
        JsonValueKind.Array => string.Join(value.EnumerateArray().Any(i => i.ValueKind == JsonValueKind.Object) ? " | " : ", ",
            value.EnumerateArray().Select(Text)),
        _ => string.Join("; ", value.EnumerateObject().Select(p => Label(p.Name) + ": " + Text(p.Value))),
    };

    public static string? Str(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
