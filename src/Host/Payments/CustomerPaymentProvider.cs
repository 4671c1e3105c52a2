using Mediator;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Features.Customers;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Payments;

/// <summary>
/// Chooses where the customer's invoices finalized from now on are sent: <c>stripe</c>, <c>razorpay</c> or <c>none</c>.
/// Invoices already finalized keep the outbox rows they were given. A provider the tenant has no account at is
/// refused, so nothing queues up that could never be sent; so is a customer Razorpay would refuse or could not find
/// again (its name rule; neither email nor contact).
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

internal sealed class CustomerPaymentProviderHandlers(ITenantStore tenants, IBillingStore billing, IPaymentStore payments) :
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

    private static CustomerPaymentView View(CustomerPaymentSettings s) => new(s.Customer, ProviderNames.Of(s.Provider), s.Name, s.Email, s.Contact);
}
