namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>
/// Bodies for the errors the framework answers on its own (no route, wrong method, a media type the endpoint
/// does not accept): problem+json with a detail that says what to do instead of an empty response.
/// </summary>
internal static class StatusCodeProblems
{
    public static IApplicationBuilder UseStatusCodeProblems(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            var status = http.Response.StatusCode;
            var request = $"{http.Request.Method} {http.Request.Path}";
            var detail = status switch
            {
                StatusCodes.Status404NotFound => $"No resource at {request}; the API is described at /openapi/v1.json.",
                StatusCodes.Status405MethodNotAllowed => $"{request} is not allowed; the API is described at /openapi/v1.json.",
                StatusCodes.Status415UnsupportedMediaType =>
                    $"Content-Type '{http.Request.ContentType ?? "(none)"}' is not accepted by {request}; the accepted types are listed at /openapi/v1.json.",
                _ => $"{request} failed with status {status}.",
            };
            await http.WriteProblemAsync(status, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), detail);
        });
}
