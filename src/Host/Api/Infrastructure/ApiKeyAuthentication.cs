using Microsoft.AspNetCore.Authorization;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>
/// Resolves the caller of every <c>/v1</c> request from <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>.
/// <c>/v1/tenants</c> takes the admin key only; everything else takes a tenant key. A missing key is 401,
/// a key that is not valid for the route is 401 too (a wrong key must not reveal whether it exists elsewhere).
/// Wrong keys are counted per client address (<see cref="FailedKeyLimiter"/>); past the budget the address gets 429.
/// </summary>
internal static class ApiKeyAuthentication
{
    public const string AdminPath = "/v1/tenants";

    public static IApplicationBuilder UseApiKeyAuthentication(this IApplicationBuilder app, string? adminKey, FailedKeyLimiter failures) =>
        app.Use(async (context, next) =>
        {
            // Webhooks carry no key: their endpoints allow anonymous callers and check a signature instead.
            if (!context.Request.Path.StartsWithSegments("/v1") || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                await next(context);
                return;
            }

            var presented = PresentedKey(context.Request);
            if (presented is null)
            {
                throw Unauthorized("Missing API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");
            }

            var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            if (!failures.Allows(address))
            {
                throw new ApiProblemException(StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"Too many wrong API keys from this address: at most {failures.Permits} per {failures.Window.TotalSeconds:0} s; retry later.");
            }

            if (context.Request.Path.StartsWithSegments(AdminPath))
            {
                if (adminKey is null)
                {
                    throw new ApiProblemException(StatusCodes.Status403Forbidden, "Forbidden",
                        "Tenant administration is disabled: start the server with --admin-key or RULESBILLING_ADMIN_KEY.");
                }
                if (!ApiKeys.MatchesAdmin(presented, adminKey))
                {
                    failures.Fail(address);
                    throw Unauthorized("The admin key is not valid.");
                }
                context.SetCaller(new Infrastructure.Caller(Infrastructure.Caller.AdminTenant, "admin", context.TraceIdentifier));
            }
            else
            {
                var store = context.RequestServices.GetRequiredService<ITenantStore>();
                var key = store.FindApiKey(ApiKeys.Hash(presented));
                if (key is null)
                {
                    failures.Fail(address);
                    throw Unauthorized("The API key is not valid.");
                }
                context.SetCaller(new Infrastructure.Caller(key.Tenant, key.Prefix, context.TraceIdentifier));
            }

            await next(context);
        });

    /// <summary>The key a request presents; also used to partition the rate limiter.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return NonEmpty(header["Bearer ".Length..].Trim());
        return NonEmpty(request.Headers["X-Api-Key"].ToString().Trim());
    }

    public static Caller Caller(this HttpContext context) =>
        context.Items[typeof(Caller)] as Caller ?? throw new InvalidOperationException("No caller resolved for a /v1 route.");

    private static void SetCaller(this HttpContext context, Caller caller) => context.Items[typeof(Caller)] = caller;

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;

    private static ApiProblemException Unauthorized(string detail) =>
        new(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
}
