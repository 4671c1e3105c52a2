using Mediator;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using RulesBilling.Dsl.Model;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Features.RuleSets;
using RulesBilling.Host.Api.Features.Customers;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Payments;

/// <summary>
/// Chooses where the customer's invoices finalized from now on are sent: <c>stripe</c>, <c>razorpay</c> or <c>none</c>.
/// Invoices already finalized keep the outbox rows they were given. A provider the tenant has no account at is
/// refused, so nothing queues up that could never be sent; so is a customer Razorpay would refuse or could not find
/// again (its name rule; neither email nor contact), and a customer whose contract rounds a three-decimal currency
/// finer than the providers take (<c>round to 0.001 KWD</c>; they take multiples of 0.010).
/// </summary>
internal sealed record SetCustomerPaymentProvider(Caller Caller, string Customer, string? Provider, string? Name = null, string? Email = null, string? Contact = null)
    : ICommand<CustomerPaymentView>, IValidatable, IAudited
{
    public string AuditAction => $"customer.payment-provider {Customer} {Provider}";

    public IEnumerable<string> Validate()
    {
        if (ProviderNames.TryParse(Provider) is null) yield return $"'provider' must be stripe, razorpay or none (got '{Provider}').";
        if (Name is { } name && string.IsNullOrWhiteSpace(name)) yield return "'name' must not be blank.";
        // Razorpay's limits, the tighter of the two providers'.
        if (Email is { } email && (email.Length > 64 || !email.Contains('@', StringComparison.Ordinal) || email.Any(char.IsWhiteSpace)))
        {
            yield return $"'email' must be an email address of at most 64 characters (got '{email}').";
        }
        if (Contact is { } contact && (contact.Length is < 8 or > 15 || !contact.TrimStart('+').All(char.IsAsciiDigit)))
        {
            yield return $"'contact' must be a phone number of 8 to 15 characters, digits with an optional leading + (got '{contact}').";
        }
    }
}

internal sealed record GetCustomerPaymentProvider(Caller Caller, string Customer) : IQuery<CustomerPaymentView>, IApiMessage;

internal sealed record CustomerPaymentView(string Customer, string Provider, string? Name, string? Email, string? Contact);

internal sealed class CustomerPaymentProviderHandlers(
    ITenantStore tenants, IBillingStore billing, IPaymentStore payments, RuleSetCatalog catalog, TimeProvider time) :
    ICommandHandler<SetCustomerPaymentProvider, CustomerPaymentView>,
    IQueryHandler<GetCustomerPaymentProvider, CustomerPaymentView>
{
    public ValueTask<CustomerPaymentView> Handle(SetCustomerPaymentProvider command, CancellationToken cancellationToken)
    {
        var tenant = command.Caller.Tenant;
        Customers.RequireKnown(tenants, billing, tenant, command.Customer);
        var provider = ProviderNames.TryParse(command.Provider)!.Value;
        if (provider != PaymentProvider.None && payments.FindAccount(tenant, provider) is null)
        {
            throw ApiProblemException.Unprocessable(
                $"The tenant has no {ProviderNames.Of(provider)} account; configure it first with PUT /v1/payments/accounts/{ProviderNames.Of(provider)}.");
        }
        if (provider != PaymentProvider.None) RequireProviderRounding(tenant, command.Customer, provider);
        var settings = new CustomerPaymentSettings(tenant, command.Customer, provider, command.Name, command.Email, command.Contact);
        if (provider == PaymentProvider.Razorpay)
        {
            try
            {
                RazorpayCustomerRules.Require(settings);
            }
            catch (PaymentException e)
            {
                throw ApiProblemException.Unprocessable(e.Message);
            }
        }
        payments.SaveCustomerSettings(settings);
        return ValueTask.FromResult(View(settings));
    }

    public ValueTask<CustomerPaymentView> Handle(GetCustomerPaymentProvider query, CancellationToken cancellationToken)
    {
        Customers.RequireKnown(tenants, billing, query.Caller.Tenant, query.Customer);
        var settings = payments.FindCustomerSettings(query.Caller.Tenant, query.Customer)
                       ?? new CustomerPaymentSettings(query.Caller.Tenant, query.Customer, PaymentProvider.None);
        return ValueTask.FromResult(View(settings));
    }

    /// <summary>
    /// The contracts that can bill the customer (naming it, or the default ones when none does) and are not over must
    /// round a three-decimal currency to multiples of 0.010 (docs/dsl-spec.md §10.6): a finer line could never be sent.
    /// </summary>
    private void RequireProviderRounding(string tenant, string customer, PaymentProvider provider)
    {
        if (catalog.Find(tenant) is not { } active) return;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var live = active.RuleSet.Contracts.Where(c => c.EffectiveUntil is not { } until || until > today).ToList();
        var named = live.Where(c => !c.IsDefault && c.Customers.Contains(customer, StringComparer.Ordinal)).ToList();
        foreach (var contract in named.Count > 0 ? named : live.Where(c => c.IsDefault))
        {
            if (Currencies.MinorUnits(contract.Currency) != 3) continue;
            var increment = contract.RoundingIncrement ?? 0.001m;
            if (increment % 0.010m == 0m) continue;
            throw ApiProblemException.Unprocessable(
                $"contract '{contract.Contract}' version {contract.Version} rounds {contract.Currency} lines to {increment.ToString(System.Globalization.CultureInfo.InvariantCulture)}, "
                + $"but {ProviderNames.Of(provider)} takes {contract.Currency} only in multiples of 0.010; change it to 'round to 0.010 {contract.Currency}' (docs/dsl-spec.md §10.6) before sending this customer's invoices there.");
        }
    }

    private static CustomerPaymentView View(CustomerPaymentSettings s) => new(s.Customer, ProviderNames.Of(s.Provider), s.Name, s.Email, s.Contact);
}
