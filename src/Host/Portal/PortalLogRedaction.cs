using Serilog.Core;
using Serilog.Events;

namespace RulesBilling.Host.Portal;

/// <summary>
/// Log events name a portal page, never the link: the token in <c>/portal/{token}/…</c> is a credential (anyone reading
/// the log could open the customer's portal), so every path property of every event — the request log line and the
/// request scope other events carry — is written with <c>{token}</c> in its place.
/// </summary>
internal sealed class PortalLogRedaction : ILogEventEnricher
{
    private const string Prefix = "/portal/";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties.ToList())
        {
            if (value is ScalarValue { Value: string text } && text.Contains(Prefix, StringComparison.Ordinal))
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(Redact(text))));
        }
    }

    public static string Redact(string text)
    {
        var start = text.IndexOf(Prefix, StringComparison.Ordinal);
        if (start < 0) return text;
        var tokenStart = start + Prefix.Length;
        var end = text.IndexOfAny(['/', '?', ' ', '"'], tokenStart);
        return text[..tokenStart] + "{token}" + (end < 0 ? "" : Redact(text[end..]));
    }
}
