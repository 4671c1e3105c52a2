using System.Text.Json;

namespace RulesBilling.Engine.Ingestion;

/// <summary>
/// A JSON parse failure as a person reads it: "malformed JSON: reason", with the 1-based column apart, and without
/// the parser's "LineNumber: 0 | BytePositionInLine: 22" and "Path: $" trailers (the caller knows the line).
/// </summary>
internal static class JsonErrorText
{
    public static string Reason(Exception e) => "malformed JSON: " + Describe(e);

    /// <summary>The reason with its position, for a whole document (a request body) that may span several lines.</summary>
    public static string ReasonWithPosition(Exception e) =>
        Reason(e) + (e is JsonException { LineNumber: { } line, BytePositionInLine: { } column } ? $" (line {line + 1}, column {column + 1})" : "");

    /// <summary>1-based column (in UTF-8 bytes, as the parser counts) of a <see cref="JsonException"/>, else null.</summary>
    public static int? Column(Exception e) => e is JsonException { BytePositionInLine: { } position } ? (int)position + 1 : null;

    private static string Describe(Exception e)
    {
        if (e is not JsonException) return "the text is not valid UTF-8/UTF-16";
        var message = e.Message;
        foreach (var trailer in new[] { " Path: ", " LineNumber: ", " | LineNumber: " })
        {
            var at = message.IndexOf(trailer, StringComparison.Ordinal);
            if (at >= 0) message = message[..at];
        }
        message = message.Trim().TrimEnd('.', ' ', '|');
        if (message.StartsWith("Expected depth to be zero", StringComparison.Ordinal)) return "the line ends inside an unclosed object or array";
        if (message.StartsWith("Expected start of a property name or value, but instead reached end of data", StringComparison.Ordinal)
            || message.Contains("reached end of data", StringComparison.Ordinal)) return "the line ends before the JSON value is complete";
        return message.Length == 0 ? "not valid JSON" : message;
    }
}
