using Mediator;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Features.Customers;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Invoices;

/// <summary>Drafts the invoice of the current period (or the one containing <see cref="At"/>); stores nothing.</summary>
internal sealed record PreviewInvoice(Caller Caller, string Customer, DateTimeOffset? At) : IQuery<PreviewResult>, IApiMessage;

/// <summary>The tenant's stored invoices and corrections, optionally of one customer.</summary>
internal sealed record ListInvoices(Caller Caller, string? Customer) : IQuery<IReadOnlyList<Invoice>>, IApiMessage;

/// <summary>One stored invoice with the full explanation of every line.</summary>
internal sealed record GetInvoice(Caller Caller, string InvoiceId) : IQuery<Invoice>, IApiMessage;

internal sealed class InvoiceQueryHandlers(ITenantStore tenants, IBillingStore store, InvoicePreview preview) :
    IQueryHandler<PreviewInvoice, PreviewResult>,
    IQueryHandler<ListInvoices, IReadOnlyList<Invoice>>,
    IQueryHandler<GetInvoice, Invoice>
{
    public ValueTask<PreviewResult> Handle(PreviewInvoice query, CancellationToken cancellationToken)
    {
        Customers.Customers.RequireKnown(tenants, store, query.Caller.Tenant, query.Customer);
        return ValueTask.FromResult(preview.Preview(query.Caller.Tenant, query.Customer, query.At));
    }

    public ValueTask<IReadOnlyList<Invoice>> Handle(ListInvoices query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<Invoice>>(store.ListInvoices(query.Caller.Tenant, query.Customer)
            .OrderBy(i => i.Customer, StringComparer.Ordinal)
            .ThenBy(i => i.PeriodFrom.UtcTicks)
            .ThenBy(i => i.Number ?? "", StringComparer.Ordinal)
            .ThenBy(i => i.Id, StringComparer.Ordinal)
            .ToList());

    public ValueTask<Invoice> Handle(GetInvoice query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Invoices.Require(store, query.Caller.Tenant, query.InvoiceId));
}

internal static class Invoices
{
    /// <summary>The tenant's invoice by id or number, or 404 — the same answer for another tenant's invoice.</summary>
    public static Invoice Require(IBillingStore store, string tenant, string idOrNumber) =>
        store.FindInvoice(tenant, idOrNumber)
        ?? store.ListInvoices(tenant).FirstOrDefault(i => i.Number == idOrNumber)
        ?? throw ApiProblemException.NotFound($"Invoice '{idOrNumber}' does not exist.");
}
