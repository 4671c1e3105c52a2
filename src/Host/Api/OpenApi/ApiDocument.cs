using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Host.Api.Endpoints;

namespace RulesBilling.Host.Api.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document at <c>/openapi/v1.json</c>, complete enough to generate a client from: an operationId on
/// every operation, both key schemes, problem+json errors, decimal strings for money and quantities, the CloudEvents
/// media types on POST /v1/events. Linted with Redocly's recommended rules in the tests (OpenApiLintTests).
/// </summary>
internal static class ApiDocument
{
    public const string Path = "/openapi/v1.json";
    public const string ProblemSchema = "Problem";
    public const string CloudEventSchema = "CloudEvent";
    public const string BearerScheme = "Bearer";
    public const string ApiKeyScheme = "ApiKey";

    /// <summary>A decimal as text: what every amount, price and quantity is on the wire.</summary>
    public const string DecimalPattern = @"^-?[0-9]+(\.[0-9]+)?$";

    public static IServiceCollection AddApiDocument(this IServiceCollection services, ServeOptions options) =>
        services.AddOpenApi(openApi =>
        {
            // Schema names a generated client shows its users: "Invoice", not "InvoiceDocument".
            openApi.CreateSchemaReferenceId = type => type.Type == typeof(CloudEventContract) ? CloudEventSchema
                : type.Type.Name.EndsWith("Document", StringComparison.Ordinal) && type.Type.Namespace == typeof(ApiDocument).Namespace
                    ? type.Type.Name[..^"Document".Length]
                    : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            openApi.AddSchemaTransformer((schema, context, _) =>
            {
                DescribeSchema(schema, context.JsonTypeInfo.Type);
                return Task.CompletedTask;
            });
            openApi.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                // Declared here, not with .Accepts on the route: that metadata makes routing refuse binary mode's
                // application/json with 415 before the endpoint can read the ce-* headers.
                if (context.Document is { } host && host.Components?.Schemas?.ContainsKey(CloudEventSchema) != true)
                {
                    host.AddComponent(CloudEventSchema, await context.GetOrCreateSchemaAsync(typeof(CloudEventContract), null, cancellationToken));
                }
                var description = context.Description;
                var anonymous = description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any()
                    || !("/" + description.RelativePath).StartsWith("/v1", StringComparison.Ordinal);
                ApiOperations.Describe(operation, description.HttpMethod ?? "GET", "/" + description.RelativePath, anonymous);
            });
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                DescribeDocument(document, options);
                return Task.CompletedTask;
            });
        });

    private static void DescribeSchema(OpenApiSchema schema, Type type)
    {
        if (type == typeof(decimal) || type == typeof(decimal?))
        {
            // The generator sees the DecimalStringConverter and gives up ("format: double" and no type); on the wire
            // these are strings such as "12.50", which no client should turn into binary floating point.
            schema.Type = type == typeof(decimal?) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Format = "decimal";
            schema.Pattern = DecimalPattern;
            schema.Examples = [JsonValue.Create("12.50")];
            return;
        }
        if (type == typeof(int) || type == typeof(long) || type == typeof(int?) || type == typeof(long?))
        {
            // The server writes integers as JSON numbers; that reading also takes "12" is leniency, not the contract.
            var nullable = type == typeof(int?) || type == typeof(long?);
            schema.Type = nullable ? JsonSchemaType.Integer | JsonSchemaType.Null : JsonSchemaType.Integer;
            schema.Pattern = null;
            return;
        }
        if (type == typeof(CloudEventContract))
        {
            // Extension attributes stand beside the event's own (CloudEvents 1.0: a string, integer or boolean). Left
            // untyped here: a typed index signature would clash with `data` in generated TypeScript and C# models.
            schema.AdditionalProperties = new OpenApiSchema
            {
                Description = "An extension attribute such as traceparent (a string, integer or boolean), stored with the event as text; rules read it as event.ext.NAME.",
            };
            if (schema.Properties?.TryGetValue("specversion", out var version) == true && version is OpenApiSchema v) v.Enum = [JsonValue.Create("1.0")];
            schema.Examples = [JsonNode.Parse("""{"specversion":"1.0","id":"evt-1","source":"agent/support","type":"ticket.resolved","subject":"acme","time":"2026-01-31T12:00:00Z","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","data":{"ticket":"T-1"}}""")!];
        }
        else if (type.Name.EndsWith("Document", StringComparison.Ordinal) && type.Namespace == typeof(ApiDocument).Namespace)
        {
            // The invoice JSON may grow properties (a client should ignore those it does not know).
            schema.AdditionalProperties = new OpenApiSchema();
        }
    }

    private static void DescribeDocument(OpenApiDocument document, ServeOptions options)
    {
        document.Info.Title = "RulesBilling API";
        document.Info.Version = "v1";
        document.Info.Description =
            "Outcome-based billing for AI agents.\n\n" +
            "Authenticate with `Authorization: Bearer <api key>` or `X-Api-Key: <api key>`: a tenant's key for its own data, " +
            "the admin key for `/v1/tenants`. Money and quantities are decimal strings (\"12.50\"). Errors are RFC 9457 " +
            "`application/problem+json`.\n\n" +
            $"`POST /v1/events` takes one CloudEvent (`{EventEndpoints.Single}`), a batch of at most {EventIngestor.MaxBatchSize} " +
            $"(`{EventEndpoints.Batch}`), or one event in binary mode (the `ce-*` headers with the data as the JSON body). " +
            $"Request bodies are limited to {options.MaxRequestBodyBytes} bytes; each key may make {options.RateLimitPermits} " +
            $"requests per {options.RateLimitWindow.TotalSeconds:0} s.";

        // The server list follows where the document was fetched from, minus the slash Redocly refuses.
        foreach (var server in document.Servers ?? [])
        {
            if (server.Url is { Length: > 1 } url && url.EndsWith('/')) server.Url = url.TrimEnd('/');
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "`Authorization: Bearer <api key>`: a tenant's API key, or the admin key for /v1/tenants.",
        };
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "The same key in the `X-Api-Key` header.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem();

        // Every operation that did not say otherwise (the anonymous ones say "security: []") takes either scheme.
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
        ];

        document.Tags = new HashSet<OpenApiTag>(ApiOperations.Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
    }

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem: what went wrong and what to do about it. Never a stack trace.",
        Required = new HashSet<string> { "status", "title" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["correlationId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's id in the server log." },
            ["errors"] = new OpenApiSchema { Description = "Diagnostics or per-field errors, when the problem has them." },
            ["events"] = new OpenApiSchema { Type = JsonSchemaType.Array, Description = "A rejected single event's result (POST /v1/events, 422)." },
        },
        AdditionalProperties = new OpenApiSchema(),
    };
}
