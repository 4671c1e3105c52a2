namespace RulesBilling.Engine.Payments;

/// <summary>The provider's view of one of our invoices, for reconciliation: its id, status and total in minor units.</summary>
public sealed record RemoteInvoice(string ProviderInvoiceId, string Status, long Total, string Currency);
