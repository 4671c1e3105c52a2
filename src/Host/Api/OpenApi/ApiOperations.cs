using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using RulesBilling.Host.Api.Endpoints;

namespace RulesBilling.Host.Api.OpenApi;

/// <summary>
/// What the endpoint metadata cannot say about an operation: its operationId (named here, in one table, so a
/// generated client's method names stay stable however the routes are grouped in code), the problem+json errors it
/// can answer, and the request bodies that are read by hand (CloudEvents in three modes, provider webhooks).
/// </summary>
internal static class ApiOperations
{
    public static readonly IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string>
    {
        ["Health"] = "Liveness of the process.",
        ["Tenants (admin key)"] = "Tenants and their API keys; these routes take the admin key.",
        ["Events"] = "CloudEvents ingestion (structured, batch and binary modes), rejected events and their replay.",
        ["Rule sets"] = "Versions of the tenant's pricing rules.",
        ["Customers and credits"] = "Customers, their contract assignments and prepaid credit.",
        ["Usage and outcomes"] = "The open period's usage and the outcomes behind it.",
        ["Invoices"] = "Drafts, finalized invoices, corrections (credit notes and adjustments) and voids.",
        ["Guards"] = "Margin and anomaly guards: held invoices and alerts.",
        ["Audit"] = "The tenant's audit trail.",
        ["Entitlements and balances"] = "Feature access, limits and prepaid balances.",
        ["Webhooks"] = "Outgoing webhook subscriptions and their deliveries.",
        ["Payments"] = "Stripe and Razorpay accounts, invoice sync and incoming provider webhooks.",
    };

    /// <summary>"METHOD /path" (as routed) to operationId.</summary>
    public static readonly IReadOnlyDictionary<string, string> Ids = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GET /health"] = "getHealth",
        ["POST /v1/tenants"] = "createTenant",
        ["POST /v1/tenants/{tenant}/keys"] = "issueApiKey",
        ["POST /v1/events"] = "ingestEvents",
        ["GET /v1/events/rejected"] = "listRejectedEvents",
        ["POST /v1/events/rejected/replay"] = "replayRejectedEvents",
        ["POST /v1/rulesets"] = "uploadRuleSet",
        ["GET /v1/rulesets"] = "listRuleSets",
        ["GET /v1/rulesets/{version}"] = "getRuleSet",
        ["POST /v1/customers"] = "createCustomer",
        ["GET /v1/customers"] = "listCustomers",
        ["GET /v1/customers/{customer}"] = "getCustomer",
        ["PUT /v1/customers/{customer}/contract"] = "assignContract",
        ["POST /v1/customers/{customer}/credits"] = "grantCredits",
        ["GET /v1/customers/{customer}/credits"] = "getCreditLedger",
        ["GET /v1/customers/{customer}/usage"] = "getUsage",
        ["GET /v1/customers/{customer}/outcomes"] = "listOutcomes",
        ["GET /v1/customers/{customer}/outcomes/{outcome}/{key}"] = "getOutcomeEvents",
        ["GET /v1/customers/{customer}/invoices/preview"] = "previewInvoice",
        ["GET /v1/customers/{customer}/invoices/preview/lines/{line}/events"] = "listPreviewLineEvents",
        ["POST /v1/customers/{customer}/invoices/finalize"] = "finalizeInvoice",
        ["POST /v1/customers/{customer}/corrections"] = "issueCorrections",
        ["POST /v1/customers/{customer}/invoices/thresholds"] = "issueThresholdInvoices",
        ["GET /v1/invoices"] = "listInvoices",
        ["GET /v1/invoices/{invoice}"] = "getInvoice",
        ["POST /v1/invoices/{invoice}/void"] = "voidInvoice",
        ["POST /v1/invoices/{invoice}/release"] = "releaseInvoice",
        ["GET /v1/invoices/{invoice}/payment"] = "getInvoicePayment",
        ["GET /v1/guards/held"] = "listHeldInvoices",
        ["GET /v1/guards/alerts"] = "listAlerts",
        ["GET /v1/audit"] = "readAudit",
        ["GET /v1/customers/{customer}/entitlements"] = "getEntitlements",
        ["GET /v1/customers/{customer}/entitlements/{feature}"] = "getEntitlement",
        ["POST /v1/customers/{customer}/entitlements/{feature}/check"] = "checkEntitlement",
        ["GET /v1/customers/{customer}/balance"] = "getBalance",
        ["POST /v1/webhooks"] = "createWebhook",
        ["GET /v1/webhooks"] = "listWebhooks",
        ["DELETE /v1/webhooks/{id}"] = "deleteWebhook",
        ["GET /v1/webhooks/deliveries"] = "listDeliveries",
        ["PUT /v1/payments/accounts/{provider}"] = "configureProviderAccount",
        ["GET /v1/payments/accounts"] = "listProviderAccounts",
        ["GET /v1/payments/dead-letters"] = "listDeadLetters",
        ["POST /v1/payments/outbox/{id}/requeue"] = "requeueOutboxRecord",
        ["PUT /v1/customers/{customer}/payment-provider"] = "setCustomerPaymentProvider",
        ["GET /v1/customers/{customer}/payment-provider"] = "getCustomerPaymentProvider",
        ["POST /v1/webhooks/stripe/{tenant}"] = "receiveStripeWebhook",
        ["POST /v1/webhooks/razorpay/{tenant}"] = "receiveRazorpayWebhook",
    };

    public static void Describe(OpenApiOperation operation, string method, string routePath, bool anonymous)
    {
        var path = Normalize(routePath);
        var key = method.ToUpperInvariant() + " " + path;
        // A route added without an entry still gets a unique, stable id instead of none.
        operation.OperationId ??= Ids.TryGetValue(key, out var id) ? id : Derive(method, path);

        if (key == "POST /v1/events") DescribeEventBody(operation);
        if (key is "POST /v1/webhooks/stripe/{tenant}" or "POST /v1/webhooks/razorpay/{tenant}") DescribeProviderWebhook(operation, key.Contains("stripe", StringComparison.Ordinal));

        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is OpenApiParameter { Name: "at", In: ParameterLocation.Query } at)
            {
                at.Description ??= "The instant to answer for (ISO 8601 / RFC 3339, e.g. 2026-01-31T12:00:00Z); default now.";
            }
        }

        if (anonymous) operation.Security = [];
        if (!path.StartsWith("/v1", StringComparison.Ordinal)) return;

        var write = method is "POST" or "PUT" or "PATCH" or "DELETE";
        AddProblem(operation, 400, "The request is malformed: a parameter or body property is missing, unknown or of the wrong type.");
        if (!anonymous) AddProblem(operation, 401, "No API key was sent, or it is not valid.");
        if (path.StartsWith("/v1/tenants", StringComparison.Ordinal)) AddProblem(operation, 403, "Tenant administration is disabled on this server (no admin key).");
        if (path.Contains('{')) AddProblem(operation, 404, "The resource named in the path does not exist.");
        if (key == "GET /v1/customers/{customer}/invoices/preview/lines/{line}/events")
        {
            AddProblem(operation, 409, "The cursor's entry is no longer in the line's list (the preview changed): start again without a cursor.");
        }
        if (write && !anonymous)
        {
            AddProblem(operation, 409, "The request conflicts with the stored state (e.g. it exists already, or the tenant has no rule set).");
        }
        if (operation.RequestBody is not null)
        {
            AddProblem(operation, 413, "The request body is larger than the server's limit.");
            AddProblem(operation, 415, "The Content-Type is not one this operation reads.");
        }
        if ((write && !anonymous) || Rated(path))
        {
            AddProblem(operation, 422, "The request is well-formed but refused: a rejected event, a rule set that does not check, a contract that does not govern the customer.");
        }
        AddProblem(operation, 429, "Too many requests for this key; retry after the Retry-After header's seconds.");
    }

    private static bool Rated(string path) =>
        path.EndsWith("/usage", StringComparison.Ordinal) || path.Contains("/outcomes", StringComparison.Ordinal)
        || path.Contains("/invoices/preview", StringComparison.Ordinal) || path.Contains("/entitlements", StringComparison.Ordinal)
        || path.EndsWith("/balance", StringComparison.Ordinal);

    /// <summary>Route templates as OpenAPI writes them: no catch-all stars, no constraints.</summary>
    public static string Normalize(string routePath)
    {
        var path = routePath.TrimEnd('/');
        if (path.Length == 0) path = "/";
        return System.Text.RegularExpressions.Regex.Replace(path, @"\{\*{0,2}([A-Za-z0-9_]+)(:[^}]*)?\}", "{$1}");
    }

    private static string Derive(string method, string path)
    {
        var words = path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s != "v1")
            .Select(s => s.Trim('{', '}').Replace("-", "", StringComparison.Ordinal))
            .Select(s => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..]);
        return method.ToLowerInvariant() + string.Concat(words);
    }

    private static void AddProblem(OpenApiOperation operation, int status, string description)
    {
        operation.Responses ??= new OpenApiResponses();
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses.ContainsKey(code)) return;
        operation.Responses[code] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ApiDocument.ProblemSchema) },
            },
        };
    }

    private static void DescribeEventBody(OpenApiOperation operation)
    {
        var cloudEvent = new OpenApiSchemaReference(ApiDocument.CloudEventSchema);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "Structured mode: one CloudEvent as JSON. Batch mode: a JSON array of CloudEvents. Binary mode: the event's " +
                "attributes in ce-* headers (ce-specversion, ce-id, ce-source, ce-type, ce-subject, ce-time, extensions as ce-NAME) " +
                "and its data as the application/json body.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [EventEndpoints.Single] = new() { Schema = cloudEvent },
                [EventEndpoints.Batch] = new()
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = cloudEvent, MinItems = 1, MaxItems = Engine.Ingestion.EventIngestor.MaxBatchSize },
                },
                [EventEndpoints.Binary] = new()
                {
                    Schema = new OpenApiSchema { Description = "The event's data (binary mode); its attributes are the ce-* headers." },
                },
            },
        };
        operation.Parameters ??= [];
        foreach (var (name, description) in new[]
        {
            ("ce-specversion", "Binary mode: \"1.0\"."),
            ("ce-id", "Binary mode: the event id (unique per source)."),
            ("ce-source", "Binary mode: the event source (a URI reference)."),
            ("ce-type", "Binary mode: the event type, declared in the rule set."),
            ("ce-subject", "Binary mode: the customer id."),
            ("ce-time", "Binary mode: an RFC 3339 timestamp."),
        })
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Header,
                Required = false,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }

    private static void DescribeProviderWebhook(OpenApiOperation operation, bool stripe)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = stripe ? "A Stripe event object, exactly as Stripe sent it (the signature covers these bytes)." : "A Razorpay webhook payload, exactly as Razorpay sent it.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            [stripe ? "id" : "event"] = new OpenApiSchema { Type = JsonSchemaType.String },
                            [stripe ? "type" : "entity"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        },
                        AdditionalProperties = new OpenApiSchema(),
                        Examples = [stripe ? JsonNode.Parse("""{"id":"evt_1","type":"invoice.paid","data":{"object":{}}}""")! : JsonNode.Parse("""{"entity":"event","event":"invoice.paid","payload":{}}""")!],
                    },
                },
            },
        };
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = stripe ? "Stripe-Signature" : "X-Razorpay-Signature",
            In = ParameterLocation.Header,
            Required = true,
            Description = stripe ? "t=TIMESTAMP,v1=HMAC-SHA256 of \"TIMESTAMP.BODY\" with the tenant's webhook secret." : "Hex HMAC-SHA256 of the body with the tenant's webhook secret.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        if (!stripe)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "X-Razorpay-Event-Id",
                In = ParameterLocation.Header,
                Required = false,
                Description = "Razorpay's event id; deliveries are stored once by it.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }
}
