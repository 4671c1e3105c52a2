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
/// refused, so nothing queues up that could never be sent.
/// </summary>
internal sealed record SetCustomerPaymentProvider(Caller Caller, string Customer, string? Provider)
    : ICommand<CustomerPaymentView>, IValidatable, IAudited
{
    public string AuditAction => $"customer.payment-provider {Customer} {Provider}";

    public IEnumerable<string> Validate()
    {
        if (ProviderNames.TryParse(Provider) is null) yield return $"'provider' must be stripe, razorpay or none (got '{Provider}').";
    }
}

internal sealed record GetCustomerPaymentProvider(Caller Caller, string Customer) : IQuery<CustomerPaymentView>, IApiMessage;

internal sealed record CustomerPaymentView(string Customer, string Provider);

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
        payments.SaveCustomerSettings(new CustomerPaymentSettings(tenant, command.Customer, provider));
        return ValueTask.FromResult(new CustomerPaymentView(command.Customer, ProviderNames.Of(provider)));
    }

    public ValueTask<CustomerPaymentView> Handle(GetCustomerPaymentProvider query, CancellationToken cancellationToken)
    {
        Customers.RequireKnown(tenants, billing, query.Caller.Tenant, query.Customer);
        var provider = payments.FindCustomerSettings(query.Caller.Tenant, query.Customer)?.Provider ?? PaymentProvider.None;
        return ValueTask.FromResult(new CustomerPaymentView(query.Customer, ProviderNames.Of(provider)));
    }
}
