namespace RulesBilling.Engine.Payments;

/// <summary>Where a customer's finalized invoices are sent for collection.</summary>
public enum PaymentProvider { None, Stripe, Razorpay }

/// <summary>Facts about the payment providers the Host shows.</summary>
public static class PaymentProviders
{
    /// <summary>The provider's production API, used when an account sets no base address.</summary>
    public static string DefaultApiBase(PaymentProvider provider) =>
        provider == PaymentProvider.Stripe ? StripeInvoiceSync.DefaultApiBase : RazorpayClient.DefaultApiBase;
}
