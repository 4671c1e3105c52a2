using System.Text.Json;
using System.Text.RegularExpressions;

namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>
/// Turns a <see cref="JsonException"/> from reading a request body into a sentence a client can act on: which
/// property (as a JSON path) is missing, unknown, null or of the wrong type, and what was expected. The serializer's
/// own messages name .NET types (<c>...InvoiceEndpoints+FinalizeRequest</c>), so they never reach the client.
/// </summary>
internal static partial class BodyErrors
{
    public static string Describe(JsonException e, Type body)
    {
        var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        var message = e.Message;
        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            var names = Quoted().Matches(missing.Groups["names"].Value).Select(m => Child(path, m.Groups[1].Value)).ToList();
            return names.Count == 1
                ? $"Missing required property '{names[0]}'."
                : $"Missing required properties {string.Join(", ", names.Select(n => $"'{n}'"))}.";
        }
        if (Unmapped().Match(message) is { Success: true } unknown)
        {
            return $"Unknown property '{Child(ParentOf(path, unknown.Groups["name"].Value), unknown.Groups["name"].Value)}'.";
        }
        if (NullNotAllowed().Match(message) is { Success: true } nulled)
        {
            return $"Property '{path}' must not be null.";
        }
        if (ConvertTo().Match(message) is { Success: true } convert)
        {
            // The serializer names the type being built, not always the property's: read the property's type from the body type.
            var type = TypeAt(body, path);
            return $"Property '{path}' has the wrong type: expected {Expected(type?.ToString() ?? convert.Groups["type"].Value)}.";
        }
        if (e.InnerException is JsonException && e.LineNumber is { } line)
        {
            // Syntax errors: the reader's message names no .NET type; keep its words and the position.
            return $"Malformed JSON at line {line + 1}, byte {e.BytePositionInLine + 1}: {StripPosition(e.InnerException.Message)}";
        }
        if (!message.Contains("System.", StringComparison.Ordinal) && !message.Contains("RulesBilling.", StringComparison.Ordinal)
            && !message.StartsWith("The JSON", StringComparison.Ordinal))
        {
            // Our own converters (decimal strings) throw a message meant for the client.
            return $"Property '{path}' is invalid: {StripPosition(message)}.";
        }
        return $"Property '{path}' has an invalid value.";
    }

    /// <summary>What a client should send for a value of <paramref name="type"/> (a .NET type name, never shown).</summary>
    public static string Expected(string type)
    {
        bool Has(string name) => type.Contains(name, StringComparison.Ordinal);
        if (Has("List") || Has("[]") || Has("Enumerable")) return "an array";
        if (Has("DateOnly")) return "a date such as \"2026-10-15\" (yyyy-MM-dd)";
        if (Has("DateTime")) return "an ISO 8601 instant such as \"2026-10-15T00:00:00Z\"";
        if (Has("Int32") || Has("Int64") || Has("int") || Has("long")) return "an integer";
        if (Has("Decimal") || Has("decimal")) return "a decimal number or a decimal string such as \"12.50\"";
        if (Has("Boolean") || Has("bool")) return "true or false";
        if (Has("String") || Has("string")) return "a string";
        return "an object";
    }

    /// <summary>The .NET type of the value at a JSON path such as <c>$.files[0].text</c> inside <paramref name="root"/>.</summary>
    private static Type? TypeAt(Type root, string path)
    {
        var type = root;
        foreach (Match segment in PathSegment().Matches(path))
        {
            if (segment.Groups["index"].Success)
            {
                type = type.IsArray ? type.GetElementType()
                    : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
            }
            else
            {
                var name = segment.Groups["name"].Value;
                type = type.GetProperties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.PropertyType;
            }
            if (type is null) return null;
        }
        return type;
    }

    [GeneratedRegex(@"\.(?<name>[A-Za-z_][A-Za-z0-9_]*)|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();

    private static string Child(string path, string name) =>
        path.EndsWith("." + name, StringComparison.Ordinal) ? path : path + "." + JsonNamingPolicy.CamelCase.ConvertName(name);

    /// <summary>For an unknown property the serializer's path already ends with it.</summary>
    private static string ParentOf(string path, string name) =>
        path.EndsWith("." + name, StringComparison.Ordinal) ? path[..^(name.Length + 1)] : path.EndsWith("['" + name + "']", StringComparison.Ordinal)
            ? path[..^(name.Length + 4)] : path;

    private static string StripPosition(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).TrimEnd('.', ' ');
    }

    [GeneratedRegex(@"missing required properties including: (?<names>.*?)\.?(\s+Path:|$)")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"The JSON property '(?<name>[^']+)' could not be mapped")]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"doesn't allow null values|cannot be null|does not allow null")]
    private static partial Regex NullNotAllowed();

    [GeneratedRegex(@"could not be converted to (?<type>[^\s.]+(\.[^\s.]+)*?)\.?(\s|$)")]
    private static partial Regex ConvertTo();
}
