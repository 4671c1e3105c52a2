using Mediator;
using RulesBilling.Engine.Credits;
using RulesBilling.Host.Api.Features.Credits;
using RulesBilling.Host.Api.Features.Customers;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Endpoints;

internal static class CustomerEndpoints
{
    internal sealed record CreateCustomerRequest(string Id, string? Name = null);

    internal sealed record AssignContractRequest(string Contract, int? Version = null, DateOnly? EffectiveFrom = null);

    internal sealed record GrantCreditsRequest(decimal Amount, string Currency, int? Priority = null, DateTimeOffset? ExpiresAt = null, string? Description = null);

    public static void MapCustomerEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/customers").WithTags("Customers and credits");

        group.MapPost("/", async (HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var body = await RequestBody.ReadJsonAsync<CreateCustomerRequest>(http.Request, ct);
                var created = await sender.Send(new CreateCustomer(http.Caller(), body.Id, body.Name), ct);
                return Results.Created($"/v1/customers/{created.Id}", created);
            })
            .Accepts<CreateCustomerRequest>(RequestBody.Json)
            .Produces<CustomerView>(StatusCodes.Status201Created)
            .WithSummary("Register a customer (its id is the CloudEvents subject of its events).");

        group.MapGet("/", async (HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListCustomers(http.Caller()), ct)))
            .Produces<IReadOnlyList<CustomerView>>()
            .WithSummary("List the tenant's customers.");

        group.MapGet("/{customer}", async (string customer, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetCustomer(http.Caller(), customer), ct)))
            .Produces<CustomerView>()
            .WithSummary("Get one customer.");

        group.MapPut("/{customer}/contract", async (string customer, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var body = await RequestBody.ReadJsonAsync<AssignContractRequest>(http.Request, ct);
                return Results.Ok(await sender.Send(new AssignContract(http.Caller(), customer, body.Contract, body.Version, body.EffectiveFrom), ct));
            })
            .Accepts<AssignContractRequest>(RequestBody.Json)
            .Produces<CustomerView>()
            .WithSummary("Assign a contract (optionally one version) of the rule set in force to the customer from effectiveFrom (yyyy-MM-dd, default today UTC).")
            .WithDescription("The assignment wins over the rule files' customer lists while the assigned contract (version) is in force, " +
                "until the customer's next assignment. It may not take effect inside an already finalized period (409).");

        group.MapPost("/{customer}/credits", async (string customer, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var body = await RequestBody.ReadJsonAsync<GrantCreditsRequest>(http.Request, ct);
                var grant = await sender.Send(new GrantCredits(http.Caller(), customer, body.Amount, body.Currency,
                    body.Priority ?? CreditGrant.LowestPriority, body.ExpiresAt, body.Description), ct);
                return Results.Created($"/v1/customers/{customer}/credits", grant);
            })
            .Accepts<GrantCreditsRequest>(RequestBody.Json)
            .Produces<CreditGrantView>(StatusCodes.Status201Created)
            .WithSummary("Grant prepaid credit (amount as a decimal string, ISO 4217 currency, priority, optional expiry).")
            .WithDescription($"priority is {CreditGrant.HighestPriority}..{CreditGrant.LowestPriority}, lower consumed first; omitted it is " +
                $"{CreditGrant.LowestPriority}, so an unprioritized grant is consumed last (Lago's default). See docs/dsl-spec.md §11.");

        group.MapGet("/{customer}/credits", async (string customer, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetCreditLedger(http.Caller(), customer), ct)))
            .Produces<CreditLedgerView>()
            .WithSummary("Read the customer's credit grants, ledger and balances.");
    }
}
