using Mediator;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Portal;

/// <summary>
/// Creates a signed, expiring, read-only portal link for one of the tenant's customers (as Stripe's billing portal
/// sessions and Lago's customer portal URLs do). Nothing is stored: the link is valid until it expires or its signing
/// key is removed from the server's configuration.
/// </summary>
internal sealed record CreatePortalLink(Caller Caller, string Customer, int ExpiresInMinutes) : ICommand<PortalLinkView>, IValidatable, IAudited
{
    public const int DefaultMinutes = 24 * 60;
    public const int MaxMinutes = 30 * 24 * 60;

    public string AuditAction => $"portal.link {Customer} {ExpiresInMinutes}m";

    public IEnumerable<string> Validate()
    {
        if (ExpiresInMinutes is < 1 or > MaxMinutes) yield return $"expiresInMinutes must be from 1 to {MaxMinutes} (30 days), not {ExpiresInMinutes}.";
    }
}

/// <summary>The link (<see cref="Path"/> on this server, <see cref="Url"/> as the request reached it), its token and its expiry.</summary>
internal sealed record PortalLinkView(string Customer, string Url, string Path, string Token, DateTimeOffset ExpiresAt);

internal sealed class CreatePortalLinkHandler(PortalKeys keys, ITenantStore tenants, IBillingStore billing, TimeProvider clock)
    : ICommandHandler<CreatePortalLink, PortalLinkView>
{
    public ValueTask<PortalLinkView> Handle(CreatePortalLink command, CancellationToken cancellationToken)
    {
        if (!keys.Configured)
            throw ApiProblemException.Conflict($"Portal links are disabled: start the server with --portal-key id:secret (or ${PortalKeys.Variable}); " +
                $"the secret needs at least {PortalKeys.MinimumSecretLength} characters.");
        Api.Features.Customers.Customers.RequireKnown(tenants, billing, command.Caller.Tenant, command.Customer);
        // Whole seconds: the token carries Unix seconds, and the answer says exactly when the link stops working.
        var expires = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().AddMinutes(command.ExpiresInMinutes).ToUnixTimeSeconds());
        var token = PortalToken.Issue(keys.Current, new PortalGrant(command.Caller.Tenant, command.Customer, expires));
        var path = "/portal/" + token + "/";
        return ValueTask.FromResult(new PortalLinkView(command.Customer, path, path, token, expires));
    }
}

internal static class PortalLinkEndpoints
{
    internal sealed record CreatePortalLinkRequest(int? ExpiresInMinutes = null);

    public static void MapPortalLinkEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/customers/{customer}/portal-links", async (string customer, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var body = http.Request.ContentLength is 0 || http.Request.ContentType is null
                    ? new CreatePortalLinkRequest()
                    : await RequestBody.ReadJsonAsync<CreatePortalLinkRequest>(http.Request, ct);
                var link = await sender.Send(new CreatePortalLink(http.Caller(), customer, body.ExpiresInMinutes ?? CreatePortalLink.DefaultMinutes), ct);
                link = link with { Url = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{link.Path}" };
                return Results.Created(link.Url, link);
            })
            .WithTags("Customer portal")
            .Accepts<CreatePortalLinkRequest>(RequestBody.Json)
            .Produces<PortalLinkView>(StatusCodes.Status201Created)
            .WithSummary("Create a signed, read-only portal link for the customer (invoices with explanations, usage, credits); optional {\"expiresInMinutes\": n}, default 1440, at most 43200.")
            .WithDescription("The link is an HMAC-signed token (tenant, customer, expiry) under the server's portal key; nothing is stored. " +
                "It stops working when it expires or when its key is removed from --portal-key (key rotation: add the new key first, keep the old one until its links expire).");
}
