namespace RulesBilling.Engine.Accounting;

/// <summary>
/// A tenant's QuickBooks Online company: its realm id, the OAuth 2.0 access token sent as a bearer token, and the API
/// address (https://quickbooks.api.intuit.com by default; the sandbox, a proxy or a test fake otherwise). The token is
/// never printed: <see cref="ToString"/> redacts it.
/// </summary>
public sealed record QuickBooksAccount(string Tenant, string RealmId, string AccessToken, string? ApiBase)
{
    public const string DefaultApiBase = "https://quickbooks.api.intuit.com";

    public override string ToString() => $"QuickBooksAccount {{ Tenant = {Tenant}, RealmId = {RealmId}, ApiBase = {ApiBase ?? DefaultApiBase}, token redacted }}";
}
