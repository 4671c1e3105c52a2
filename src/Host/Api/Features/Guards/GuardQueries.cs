using Mediator;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Guards;

/// <summary>Invoices a guard is holding, waiting for release.</summary>
internal sealed record ListHeldInvoices(Caller Caller) : IQuery<IReadOnlyList<Invoice>>, IApiMessage;

/// <summary>Every triggered guard on the tenant's stored invoices.</summary>
internal sealed record ListAlerts(Caller Caller) : IQuery<IReadOnlyList<AlertView>>, IApiMessage;

internal sealed record AlertView(string InvoiceId, string? Number, string Customer, string Contract, DateTimeOffset PeriodFrom,
    DateTimeOffset PeriodTo, string Guard, string Condition, string Action, string Detail);

internal sealed class GuardQueryHandlers(IBillingStore store) :
    IQueryHandler<ListHeldInvoices, IReadOnlyList<Invoice>>,
    IQueryHandler<ListAlerts, IReadOnlyList<AlertView>>
{
    public ValueTask<IReadOnlyList<Invoice>> Handle(ListHeldInvoices query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<Invoice>>(store.ListInvoices(query.Caller.Tenant)
            .Where(i => i.Status == InvoiceStatus.Held)
            .OrderBy(i => i.Customer, StringComparer.Ordinal).ThenBy(i => i.PeriodFrom.UtcTicks).ThenBy(i => i.Id, StringComparer.Ordinal)
            .ToList());

    public ValueTask<IReadOnlyList<AlertView>> Handle(ListAlerts query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<AlertView>>(store.ListInvoices(query.Caller.Tenant)
            .Where(i => i.Status != InvoiceStatus.Void)
            .SelectMany(i => i.Guards.Where(g => g.Triggered).Select(g =>
                new AlertView(i.Id, i.Number, i.Customer, i.Contract, i.PeriodFrom, i.PeriodTo, g.Guard, g.Condition, g.Action, g.Detail)))
            .OrderBy(a => a.Customer, StringComparer.Ordinal).ThenBy(a => a.PeriodFrom.UtcTicks)
            .ThenBy(a => a.InvoiceId, StringComparer.Ordinal).ThenBy(a => a.Guard, StringComparer.Ordinal)
            .ToList());
}
