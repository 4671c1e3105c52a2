namespace RulesBilling.Engine.Payments;

/// <summary>One provider's sequence of calls for pushing and voiding an invoice, resumable from any checkpoint.</summary>
internal interface IProviderSync
{
    Task PushAsync(SyncContext context, CancellationToken cancellation);

    Task VoidAsync(SyncContext context, CancellationToken cancellation);

    /// <summary>
    /// Looks our invoice (or credit note) up at the provider by metadata, receipt or notes, not by the ids the
    /// record stored; null when it is not there. The store gives the customer mapping and a credit note's original.
    /// </summary>
    Task<RemoteInvoice?> FindAsync(ProviderAccount account, IPaymentStore store, Invoicing.Invoice invoice, int revision, CancellationToken cancellation);
}
