using Serilog.Context;

namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>
/// Gives every request a correlation id: the caller's <c>X-Correlation-Id</c> when it is a sane token,
/// otherwise a new one. It is echoed in the response header, becomes the request's TraceIdentifier (so problem
/// bodies carry it) and is attached to every log event written while the request runs.
/// </summary>
internal static class CorrelationId
{
    public const string Header = "X-Correlation-Id";

    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var id = context.Request.Headers[Header].ToString();
            if (!IsAcceptable(id)) id = Guid.NewGuid().ToString("N");
            context.TraceIdentifier = id;
            // Set when the response starts: the exception handler clears headers set before a failure.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[Header] = id;
                return Task.CompletedTask;
            });
            using (LogContext.PushProperty("CorrelationId", id))
            {
                await next(context);
            }
        });

    // Caller-supplied ids end up in logs and headers: keep them short and free of control characters.
    private static bool IsAcceptable(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
