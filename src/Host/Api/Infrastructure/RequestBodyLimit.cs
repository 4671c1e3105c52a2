using System.Globalization;

namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>
/// Refuses a request whose declared Content-Length exceeds the limit before reading it. Bodies without a
/// length (chunked) are cut by the server's own MaxRequestBodySize, which surfaces as the same 413.
/// </summary>
internal static class RequestBodyLimit
{
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app, long maxBytes) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength is { } length && length > maxBytes)
            {
                throw new ApiProblemException(StatusCodes.Status413PayloadTooLarge, "Content too large",
                    $"The request body is {length.ToString(CultureInfo.InvariantCulture)} bytes; the limit is {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes.");
            }
            await next(context);
        });
}
