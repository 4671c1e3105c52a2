using System.Text.RegularExpressions;

namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>
/// Rewrites the framework's parameter-binding failures (thrown because <c>ThrowOnBadRequest</c> is on) into a detail
/// that names the query or route parameter, the value received and the expected format — without the .NET type
/// (<c>Failed to bind parameter "DateTimeOffset? at" from "yesterday"</c>).
/// </summary>
internal static partial class ParameterErrors
{
    /// <summary>The client-facing detail for a binding failure, or null when <paramref name="message"/> is not one.</summary>
    public static string? Describe(HttpContext http, string message)
    {
        if (FailedToBind().Match(message) is { Success: true } failed)
        {
            var name = failed.Groups["name"].Value;
            return $"{Source(http, name)} '{name}' must be {BodyErrors.Expected(failed.Groups["type"].Value)}, not '{failed.Groups["value"].Value}'.";
        }
        if (Required().Match(message) is { Success: true } required)
        {
            var name = required.Groups["name"].Value;
            return $"{Source(http, name)} '{name}' is required: {BodyErrors.Expected(required.Groups["type"].Value)}.";
        }
        return null;
    }

    /// <summary>The exception handler has already cleared the route values, so a parameter not in the query string is the route's.</summary>
    private static string Source(HttpContext http, string name) =>
        http.Request.Query.ContainsKey(name) ? "Query parameter" : "Route parameter";

    [GeneratedRegex("""Failed to bind parameter "(?<type>\S+) (?<name>[^"\s]+)" from "(?<value>.*)"\.?$""", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("""Required parameter "(?<type>\S+) (?<name>[^"\s]+)" was not provided""")]
    private static partial Regex Required();
}
