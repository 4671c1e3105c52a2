using Mediator;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Features.RuleSets;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Endpoints;

internal static class RuleSetEndpoints
{
    internal sealed record UploadRuleSetRequest(IReadOnlyList<StoredRuleFile> Files, string? Comment = null);

    public static void MapRuleSetEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/rulesets").WithTags("Rule sets");

        group.MapPost("/", async (HttpContext http, ISender sender, CancellationToken ct) =>
            {
                UploadRuleSet command;
                if (RequestBody.MediaType(http.Request) == "text/plain")
                {
                    using var reader = new StreamReader(http.Request.Body);
                    command = new UploadRuleSet(http.Caller(), [new StoredRuleFile("upload.rules", await reader.ReadToEndAsync(ct))], null);
                }
                else
                {
                    var body = await RequestBody.ReadJsonAsync<UploadRuleSetRequest>(http.Request, ct);
                    command = new UploadRuleSet(http.Caller(), body.Files, body.Comment);
                }
                var view = await sender.Send(command, ct);
                return Results.Created($"/v1/rulesets/{view.Version}", view);
            })
            .Accepts<UploadRuleSetRequest>(RequestBody.Json, "text/plain")
            .Produces<RuleSetView>(StatusCodes.Status201Created)
            .WithSummary("Upload a new rule-set version (JSON with files, or one file as text/plain). Refused with 422 and its diagnostics when it does not check.");

        group.MapGet("/", async (HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListRuleSets(http.Caller()), ct)))
            .Produces<IReadOnlyList<RuleSetView>>()
            .WithSummary("List rule-set versions (0 = the server's start-up rules) and which one is in force.");

        group.MapGet("/{version}", async (int version, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetRuleSet(http.Caller(), version), ct)))
            .Produces<RuleSetView>()
            .WithSummary("Get one rule-set version with its files.");
    }
}
