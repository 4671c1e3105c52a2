using Mediator;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Invoices;

/// <summary>
/// One page of a preview line's counted events, pending outcomes or excluded events (<see cref="PreviewEventLists"/>):
/// the preview of the same period (<see cref="At"/>) is recomputed and the page cut from the line with id
/// <see cref="Line"/>. <see cref="Cursor"/> is the <c>next</c> of the previous page (or of the preview's
/// <c>eventLists</c>) and carries the list; without it the page is the list's first.
/// </summary>
internal sealed record GetPreviewLineEvents(Caller Caller, string Customer, string Line, string? List, string? Cursor, int? Limit, DateTimeOffset? At)
    : IQuery<PreviewLineEventsView>, IApiMessage, IValidatable
{
    public IEnumerable<string> Validate()
    {
        if (List is not null && !PreviewEventLists.Lists.Contains(List, StringComparer.Ordinal))
        {
            yield return $"'list' must be one of {string.Join(", ", PreviewEventLists.Lists)} (got '{List}').";
        }
        if (Limit is < 1 or > PreviewEventLists.Limit) yield return $"'limit' must be between 1 and {PreviewEventLists.Limit}.";
        if (Cursor is not null)
        {
            if (PreviewCursor.Decode(Cursor) is not { } cursor) yield return "'cursor' is not a cursor this endpoint issued; pass the 'next' of a page or of the preview unchanged.";
            else if (List is not null && List != cursor.List) yield return $"'cursor' continues the '{cursor.List}' list, not '{List}'.";
        }
    }
}

/// <summary>A page of one list of a preview line, with the line's explanation and the list's total.</summary>
internal sealed record PreviewLineEventsView(
    string Customer,
    string Line,
    string Rule,
    string Contract,
    int Version,
    string List,
    int Total,
    IReadOnlyList<PreviewLineEventView> Items,
    string? Next);

/// <summary>
/// One entry: an event reference (<c>source/id</c>); for a pending outcome also when it becomes billable, for an
/// excluded event the reason and detail.
/// </summary>
internal sealed record PreviewLineEventView(string Id, DateTimeOffset? BillableAt, string? Reason, string? Detail);

internal sealed class PreviewLineEventsHandler(ITenantStore tenants, IBillingStore store, InvoicePreview previews)
    : IQueryHandler<GetPreviewLineEvents, PreviewLineEventsView>
{
    public ValueTask<PreviewLineEventsView> Handle(GetPreviewLineEvents query, CancellationToken cancellationToken)
    {
        var tenant = query.Caller.Tenant;
        Customers.Customers.RequireKnown(tenants, store, tenant, query.Customer);
        var cursor = query.Cursor is null ? null : PreviewCursor.Decode(query.Cursor);
        var list = cursor?.List ?? query.List ?? PreviewEventLists.Events;
        var preview = previews.Preview(tenant, query.Customer, query.At);
        var line = preview.Invoices.SelectMany(i => i.Lines).FirstOrDefault(l => l.Id == query.Line)
            ?? throw ApiProblemException.NotFound($"The preview of customer '{query.Customer}' has no line '{query.Line}'.");
        var page = PreviewEventLists.Page(line, list, cursor, query.Limit ?? PreviewEventLists.Limit)
            ?? throw ApiProblemException.Conflict(
                $"The entry this cursor continues after ('{cursor!.LastId}') is no longer in the line's '{list}' list; the preview changed, start again without a cursor.");
        var total = list switch
        {
            PreviewEventLists.Events => line.Events.Count,
            PreviewEventLists.Pending => line.Pending.Count,
            _ => line.Excluded.Count,
        };
        return ValueTask.FromResult(new PreviewLineEventsView(query.Customer, line.Id, line.Rule, line.Contract, line.Version, list, total,
            page.Items, page.Next is { } next ? PreviewEventLists.Path(query.Customer, line.Id, next, query.At) : null));
    }
}
