using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RulesBilling.Host.Tests.Api;

namespace RulesBilling.Host.Tests.Integrators;

/// <summary>
/// The OpenAPI document a running server serves, linted by Redocly's CLI (installed from npm by NodeTools) with its
/// recommended rules, and checked for what a client generator needs from it.
/// </summary>
public sealed class OpenApiDocumentTests
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    internal static async Task<(string Text, JsonNode Document)> FetchAsync(ApiServer server)
    {
        using var client = server.Client();
        var text = await client.GetStringAsync("/openapi/v1.json");
        return (text, JsonNode.Parse(text)!);
    }

    internal static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(o => Methods.Contains(o.Key))
            .Select(o => (path.Key, o.Key, o.Value!.AsObject())));

    [Fact]
    public async Task Redocly_lint_reports_no_errors_on_the_served_document()
    {
        await using var server = await ApiServer.StartAsync();
        var (text, _) = await FetchAsync(server);
        var folder = Directory.CreateTempSubdirectory("rb-openapi-");
        try
        {
            var file = Path.Combine(folder.FullName, "openapi.json");
            await File.WriteAllTextAsync(file, text);
            var (exit, output) = NodeTools.Run(NodeTools.Bin("redocly"), folder.FullName, null, "lint", file, "--format=json");
            var json = output[output.IndexOf('{')..(output.LastIndexOf('}') + 1)];
            var totals = JsonNode.Parse(json)!["totals"]!;
            Assert.True(totals["errors"]!.GetValue<int>() == 0, $"redocly lint found errors:\n{NodeTools.Tail(output)}");
            Assert.Equal(0, exit);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Every_operation_has_a_unique_operation_id_and_problem_json_errors()
    {
        await using var server = await ApiServer.StartAsync();
        var (_, document) = await FetchAsync(server);
        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= 45, $"only {operations.Count} operations");

        var ids = operations.Select(o => o.Operation["operationId"]?.GetValue<string>()).ToList();
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(ids.Count, ids.Distinct().Count());

        foreach (var (path, method, operation) in operations.Where(o => o.Path.StartsWith("/v1", StringComparison.Ordinal)))
        {
            var problems = operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('4')).ToList();
            Assert.True(problems.Count > 0, $"{method} {path} declares no 4xx");
            Assert.All(problems, r => Assert.NotNull(r.Value!["content"]!["application/problem+json"]));
            Assert.True(operation["responses"]!.AsObject().Any(r => r.Key.StartsWith('2') && (r.Value!["content"] is not null || r.Key == "204")),
                $"{method} {path} has no described success response");
        }
    }

    [Fact]
    public async Task Money_and_quantities_are_decimal_strings_never_doubles()
    {
        await using var server = await ApiServer.StartAsync();
        var (text, document) = await FetchAsync(server);
        Assert.DoesNotContain("\"double\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"float\"", text, StringComparison.Ordinal);
        var schemas = document["components"]!["schemas"]!;
        foreach (var (schema, property) in new[] { ("Invoice", "total"), ("InvoiceLine", "quantity"), ("InvoiceLine", "amount"), ("PrepaidBalance", "available"), ("FeatureEntitlement", "usage") })
        {
            var declared = schemas[schema]!["properties"]![property]!;
            Assert.Equal("decimal", declared["format"]!.GetValue<string>());
            Assert.Contains("string", declared["type"]!.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Events_take_the_cloudevents_media_types_and_the_key_schemes_are_declared()
    {
        await using var server = await ApiServer.StartAsync();
        var (_, document) = await FetchAsync(server);
        var ingest = document["paths"]!["/v1/events"]!["post"]!;
        var content = ingest["requestBody"]!["content"]!.AsObject();
        Assert.Equal("#/components/schemas/CloudEvent", content["application/cloudevents+json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/CloudEvent", content["application/cloudevents-batch+json"]!["schema"]!["items"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(content["application/json"]);
        Assert.Contains(ingest["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "ce-specversion" && p["in"]!.GetValue<string>() == "header");

        var schemes = document["components"]!["securitySchemes"]!;
        Assert.Equal("bearer", schemes["Bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", schemes["ApiKey"]!["name"]!.GetValue<string>());
        Assert.Equal(2, document["security"]!.AsArray().Count);
        // Anonymous routes say so, so a generated client sends them no key.
        Assert.Empty(document["paths"]!["/v1/webhooks/stripe/{tenant}"]!["post"]!["security"]!.AsArray());
        Assert.NotNull(document["paths"]!["/v1/webhooks/stripe/{tenant}"]!["post"]!["requestBody"]);
        Assert.Contains(document["paths"]!["/v1/customers/{customer}/entitlements"]!["get"]!["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "at");
        var finalize = document["paths"]!["/v1/customers/{customer}/invoices/finalize"]!["post"]!;
        Assert.Equal("#/components/schemas/Invoice", finalize["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_description_keeps_angle_brackets_in_code_spans_so_the_reference_page_shows_them()
    {
        await using var server = await ApiServer.StartAsync();
        var (_, document) = await FetchAsync(server);
        // Scalar renders descriptions as Markdown, where a bare <api key> is an HTML tag and vanishes from the page.
        var texts = new List<string> { document["info"]!["description"]!.GetValue<string>() };
        texts.AddRange(document["components"]!["securitySchemes"]!.AsObject().Select(s => s.Value!["description"]!.GetValue<string>()));
        foreach (var text in texts)
        {
            var outsideCode = Regex.Replace(text, "`[^`]*`", "");
            Assert.DoesNotMatch("<[A-Za-z]", outsideCode);
        }
        Assert.Contains("`Authorization: Bearer <api key>`", texts[0], StringComparison.Ordinal);
    }
}
