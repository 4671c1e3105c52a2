namespace RulesBilling.Engine.Invoicing;

public static class InvoiceStores
{
    /// <summary>The session's invoice store; every backend keeps one.</summary>
    public static IInvoiceStore Invoices(this IStoreSession session) =>
        session.Find<IInvoiceStore>() ?? throw new InvalidOperationException("this store keeps no invoices");
}
