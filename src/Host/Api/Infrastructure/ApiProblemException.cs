namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>
/// A failure with a meaning for the client: rendered as RFC 9457 problem+json with <see cref="Status"/>,
/// <see cref="Title"/>, <see cref="Detail"/> and optional extension members (for example the diagnostics of a refused rule set).
/// </summary>
internal sealed class ApiProblemException(int status, string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();

    public static ApiProblemException BadRequest(string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status400BadRequest, "Bad request", detail, extensions);

    public static ApiProblemException NotFound(string detail) => new(StatusCodes.Status404NotFound, "Not found", detail);

    public static ApiProblemException Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);

    public static ApiProblemException Unprocessable(string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status422UnprocessableEntity, "Unprocessable content", detail, extensions);
}
