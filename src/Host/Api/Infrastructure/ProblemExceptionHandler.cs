using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using RulesBilling.Engine.Billing;

namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>
/// Turns every exception that escapes an endpoint into problem+json. Known failures keep their status and
/// detail; anything else is a 500 whose detail points at the correlation id — the stack trace goes to the log only.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ApiProblemException p => Problem(p.Status, p.Title, p.Detail, p.Extensions),
            BadHttpRequestException b => Problem(b.StatusCode, ReasonPhrase(b.StatusCode), ParameterErrors.Describe(context, b.Message) ?? b.Message, null),
            BillingException b => Problem(StatusCodes.Status422UnprocessableEntity, "Billing request refused", b.Message,
                b.Errors.Count == 0 ? null : new Dictionary<string, object?> { ["ratingErrors"] = b.Errors }),
            _ => null,
        };

        if (problem is null)
        {
            log.LogError(exception, "Unhandled failure on {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = Problem(
                StatusCodes.Status500InternalServerError,
                "Internal server error",
                $"The server failed to process the request; quote correlation id {context.TraceIdentifier} when reporting it.",
                null);
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails Problem(int status, string title, string detail, IReadOnlyDictionary<string, object?>? extensions)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }
        return problem;
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Bad request";
}
