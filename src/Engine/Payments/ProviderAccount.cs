namespace RulesBilling.Engine.Payments;

/// <summary>
/// A tenant's credentials at one provider. Stripe: <see cref="ApiKey"/> is the secret key (sk_...);
/// Razorpay: <see cref="ApiKey"/> is key_id and <see cref="ApiSecret"/> key_secret. <see cref="ApiBase"/> overrides
/// the provider's API address (tests, proxies). Secrets are never printed: <see cref="ToString"/> redacts them.
/// </summary>
public sealed record ProviderAccount(
    string Tenant, PaymentProvider Provider, string ApiKey, string? ApiSecret, string WebhookSecret, string? ApiBase)
{
    public override string ToString() => $"ProviderAccount {{ Tenant = {Tenant}, Provider = {Provider}, ApiBase = {ApiBase ?? "(default)"}, secrets redacted }}";
}
