namespace RulesBilling.Engine.Payments;

/// <summary>Where a customer's finalized invoices are sent for collection.</summary>
public enum PaymentProvider { None, Stripe, Razorpay }
