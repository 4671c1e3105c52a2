using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>
/// Reads request bodies with errors a client can act on: a wrong media type is 415 naming the expected one,
/// malformed JSON is 400 with the parser's position, a missing, unknown, null or mistyped property is 400 naming its
/// JSON path (never a .NET type), an oversize body is 413 (from the server's body limit).
/// </summary>
internal static class RequestBody
{
    public const string Json = "application/json";

    /// <summary>The media type of the request without parameters, lower-case; empty when absent.</summary>
    public static string MediaType(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.ToString().ToLowerInvariant() : "";

    public static void RequireMediaType(HttpRequest request, params string[] accepted)
    {
        var mediaType = MediaType(request);
        if (!accepted.Contains(mediaType, StringComparer.Ordinal))
        {
            throw new ApiProblemException(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported media type",
                $"Content-Type must be {string.Join(" or ", accepted)}, not '{(mediaType.Length == 0 ? "(none)" : mediaType)}'.");
        }
    }

    public static async Task<JsonDocument> ReadDocumentAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw ApiProblemException.BadRequest($"Malformed JSON: {e.Message}");
        }
    }

    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        RequireMediaType(request, Json);
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync<T>(request.Body, ApiJson.Options, cancellationToken);
        }
        catch (JsonException e)
        {
            throw ApiProblemException.BadRequest(BodyErrors.Describe(e, typeof(T)));
        }
        return value ?? throw ApiProblemException.BadRequest("The request body must be a JSON object, not null.");
    }
}
