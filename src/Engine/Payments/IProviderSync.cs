namespace RulesBilling.Engine.Payments;

/// <summary>One provider's sequence of calls for pushing and voiding an invoice, resumable from any checkpoint.</summary>
internal interface IProviderSync
{
    Task PushAsync(SyncContext context, CancellationToken cancellation);

    Task VoidAsync(SyncContext context, CancellationToken cancellation);

    /// <summary>Looks our invoice up at the provider (by metadata or receipt); null when it is not there.</summary>
    Task<RemoteInvoice?> FindAsync(ProviderAccount account, Invoicing.Invoice invoice, int revision, CancellationToken cancellation);
}
