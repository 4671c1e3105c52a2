namespace RulesBilling.Engine.Payments;

/// <summary>Our customer's id at a provider (cus_... or cust_...), kept so the customer is created once.</summary>
public sealed record ProviderCustomer(string Tenant, PaymentProvider Provider, string Customer, string ProviderCustomerId);
