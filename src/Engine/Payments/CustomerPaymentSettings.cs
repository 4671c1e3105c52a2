namespace RulesBilling.Engine.Payments;

/// <summary>Which provider collects a customer's invoices; <see cref="PaymentProvider.None"/> sends nothing.</summary>
public sealed record CustomerPaymentSettings(string Tenant, string Customer, PaymentProvider Provider);
