using Mediator;
using RulesBilling.Engine.Payments;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Payments;

/// <summary>
/// Sets the tenant's credentials at one provider. Stripe: <see cref="SecretKey"/> (sk_...); Razorpay: <see cref="KeyId"/>
/// and <see cref="KeySecret"/>; both: <see cref="WebhookSecret"/> and an optional <see cref="ApiBase"/>. The secrets
/// are stored, never returned, never logged; <see cref="ToString"/> leaves them out so no log line can carry them.
/// </summary>
internal sealed record ConfigureProviderAccount(
    Caller Caller, PaymentProvider Provider, string? SecretKey, string? KeyId, string? KeySecret, string? WebhookSecret, string? ApiBase)
    : ICommand<ProviderAccountView>, IValidatable, IAudited
{
    public string AuditAction => $"payments.account {ProviderNames.Of(Provider)}";

    public IEnumerable<string> Validate()
    {
        var (required, forbidden) = Provider == PaymentProvider.Stripe
            ? (new[] { ("secretKey", SecretKey) }, new[] { ("keyId", KeyId), ("keySecret", KeySecret) })
            : (new[] { ("keyId", KeyId), ("keySecret", KeySecret) }, new[] { ("secretKey", SecretKey) });
        foreach (var (field, value) in required.Append(("webhookSecret", WebhookSecret)))
        {
            // The value itself is never quoted: it is a secret.
            if (string.IsNullOrWhiteSpace(value)) yield return $"'{field}' is required for {ProviderNames.Of(Provider)}.";
            else if (value.Any(char.IsWhiteSpace) || value.Length > 512) yield return $"'{field}' must be one token of at most 512 characters without spaces.";
        }
        foreach (var (field, value) in forbidden)
        {
            if (value is not null) yield return $"'{field}' does not apply to {ProviderNames.Of(Provider)}.";
        }
        if (ApiBase is not null && !(Uri.TryCreate(ApiBase, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0))
        {
            yield return "'apiBase' must be an absolute http(s) URL without a query (for example https://api.stripe.com).";
        }
    }

    public override string ToString() => $"ConfigureProviderAccount {{ Tenant = {Caller.Tenant}, Provider = {Provider}, ApiBase = {ApiBase ?? "(default)"}, secrets redacted }}";
}

/// <summary>The tenant's configured providers (without any secret).</summary>
internal sealed record ListProviderAccounts(Caller Caller) : IQuery<IReadOnlyList<ProviderAccountView>>, IApiMessage;

/// <summary>
/// A configured provider account as the API shows it: which provider, its API address and the webhook path to give
/// the provider. No credential, not even a part of one.
/// </summary>
internal sealed record ProviderAccountView(string Provider, string ApiBase, string WebhookPath)
{
    public static ProviderAccountView From(ProviderAccount account) => new(
        ProviderNames.Of(account.Provider),
        account.ApiBase ?? PaymentProviders.DefaultApiBase(account.Provider),
        ProviderWebhookEndpoints.Path(account.Provider, account.Tenant));
}

internal sealed class ProviderAccountHandlers(IPaymentStore payments) :
    ICommandHandler<ConfigureProviderAccount, ProviderAccountView>,
    IQueryHandler<ListProviderAccounts, IReadOnlyList<ProviderAccountView>>
{
    public ValueTask<ProviderAccountView> Handle(ConfigureProviderAccount command, CancellationToken cancellationToken)
    {
        var stripe = command.Provider == PaymentProvider.Stripe;
        var account = new ProviderAccount(command.Caller.Tenant, command.Provider, stripe ? command.SecretKey! : command.KeyId!,
            stripe ? null : command.KeySecret, command.WebhookSecret!, command.ApiBase?.TrimEnd('/'));
        payments.SaveAccount(account);
        return ValueTask.FromResult(ProviderAccountView.From(account));
    }

    public ValueTask<IReadOnlyList<ProviderAccountView>> Handle(ListProviderAccounts query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<ProviderAccountView>>(
            new[] { PaymentProvider.Razorpay, PaymentProvider.Stripe }
                .Select(p => payments.FindAccount(query.Caller.Tenant, p))
                .OfType<ProviderAccount>()
                .Select(ProviderAccountView.From)
                .ToList());
}
