namespace RulesBilling.Engine.Tests.Payments.Fakes;

/// <summary>A request as a fake provider sees it.</summary>
public sealed record FakeRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;

    public string? QueryValue(string name) => System.Web.HttpUtility.ParseQueryString(Query)[name];
}

public sealed record FakeResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null);
