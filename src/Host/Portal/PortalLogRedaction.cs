using Serilog.Events;

namespace RulesBilling.Host.Portal;

/// <summary>
/// The request log line of a portal page names the page, not the link: the token in <c>/portal/{token}/…</c> is a
/// credential, so it is written as <c>{token}</c> (anyone reading the log could otherwise open the customer's portal).
/// </summary>
internal static class PortalLogRedaction
{
    public static IEnumerable<LogEventProperty> Properties(HttpContext http, string requestPath, double elapsedMs, int statusCode) =>
    [
        new("RequestMethod", new ScalarValue(http.Request.Method)),
        new("RequestPath", new ScalarValue(Redact(requestPath))),
        new("StatusCode", new ScalarValue(statusCode)),
        new("Elapsed", new ScalarValue(elapsedMs)),
    ];

    public static string Redact(string path)
    {
        if (!path.StartsWith("/portal/", StringComparison.Ordinal)) return path;
        var end = path.IndexOf('/', "/portal/".Length);
        return "/portal/{token}" + (end < 0 ? "" : path[end..]);
    }
}
