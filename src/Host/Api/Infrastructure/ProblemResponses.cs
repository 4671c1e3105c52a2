using Microsoft.AspNetCore.Mvc;

namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>Writes a problem+json answer from middleware that has no exception to throw (status pages, the rate limiter).</summary>
internal static class ProblemResponses
{
    public static ValueTask WriteProblemAsync(this HttpContext http, int status, string title, string detail) =>
        http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
}
