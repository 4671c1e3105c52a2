using System.Text.Json.Serialization;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// Which provider collects a customer's invoices (<see cref="PaymentProvider.None"/> sends nothing), and the details
/// the provider's customer is created with: a display name (default: our customer id), an email and a phone
/// contact. Razorpay's <c>fail_existing=0</c> finds an existing customer only by exactly these details, so they are
/// what keeps a lost local mapping from creating a second customer there; Stripe lists customers by email.
/// </summary>
public sealed record CustomerPaymentSettings(
    string Tenant, string Customer, PaymentProvider Provider, string? Name = null, string? Email = null, string? Contact = null)
{
    /// <summary>The name sent to the provider.</summary>
    [JsonIgnore]
    public string DisplayName => Name ?? Customer;
}
