using Mediator;
using RulesBilling.Host.Api.Features.Tenants;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Endpoints;

internal static class TenantEndpoints
{
    internal sealed record CreateTenantRequest(string Id, string? Name = null);

    public static void MapTenantEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants").WithTags("Tenants (admin key)");

        group.MapPost("/", async (HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var body = await RequestBody.ReadJsonAsync<CreateTenantRequest>(http.Request, ct);
                var created = await sender.Send(new CreateTenant(http.Caller(), body.Id, body.Name), ct);
                return Results.Created($"/v1/tenants/{created.Id}", created);
            })
            .Accepts<CreateTenantRequest>(RequestBody.Json)
            .Produces<TenantCreated>(StatusCodes.Status201Created)
            .WithSummary("Create a tenant and its first API key (the key is shown only in this response).");

        group.MapPost("/{tenant}/keys", async (string tenant, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Created($"/v1/tenants/{tenant}", await sender.Send(new IssueApiKey(http.Caller(), tenant), ct)))
            .Produces<ApiKeyIssued>(StatusCodes.Status201Created)
            .WithSummary("Issue another API key for a tenant (shown only in this response).");
    }
}
