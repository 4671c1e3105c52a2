namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>Ids chosen by clients (tenants, customers) end up in URLs, logs and invoice ids: keep them plain.</summary>
internal static class Identifiers
{
    public const int MaxLength = 128;

    public static IEnumerable<string> Check(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            yield return $"'{field}' is required.";
        }
        else if (value.Length > MaxLength)
        {
            yield return $"'{field}' must be at most {MaxLength} characters.";
        }
        else if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@'))
        {
            yield return $"'{field}' may contain only letters, digits and - _ . : @ (got '{value}').";
        }
    }
}
