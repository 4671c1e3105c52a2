using Mediator;
using RulesBilling.Host.Api.Features.Audit;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Endpoints;

internal static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/audit", async (HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ReadAudit(http.Caller()), ct)))
            .WithTags("Audit")
            .Produces<IReadOnlyList<AuditEntryView>>()
            .WithSummary("The tenant's audit trail of state-changing requests, oldest first.");
}
