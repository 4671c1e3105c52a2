using Mediator;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Rating;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Payments;

/// <summary>Where an invoice (by id or number) stands with its payment provider: its outbox records and the last payment state.</summary>
internal sealed record GetInvoicePayment(Caller Caller, string Invoice) : IQuery<InvoicePaymentView>, IApiMessage;

/// <param name="Payment">What the provider last told us (sent, paid, partiallyPaid, paymentFailed, refunded, partiallyRefunded, voided); null before the first push completes.</param>
internal sealed record InvoicePaymentView(
    string InvoiceId, string? Number, InvoiceStatus Status, IReadOnlyList<OutboxRecordView> Sync, PaymentStateView? Payment);

/// <param name="AmountPaid">Received so far, in the invoice's currency (a string with its minor digits).</param>
/// <param name="AmountRefunded">Given back so far, in the invoice's currency.</param>
internal sealed record PaymentStateView(
    string Provider, string ProviderInvoiceId, PaymentState State, DateTimeOffset UpdatedAt, string? LastEventId, string AmountPaid, string AmountRefunded)
{
    public static PaymentStateView From(InvoicePaymentState s, string currency) => new(ProviderNames.Of(s.Provider), s.ProviderInvoiceId, s.State, s.UpdatedAt,
        s.LastEventId, CurrencyMath.Format(s.AmountPaid, currency), CurrencyMath.Format(s.AmountRefunded, currency));
}

internal sealed class GetInvoicePaymentHandler(IBillingStore billing, IPaymentStore payments) : IQueryHandler<GetInvoicePayment, InvoicePaymentView>
{
    public ValueTask<InvoicePaymentView> Handle(GetInvoicePayment query, CancellationToken cancellationToken)
    {
        var tenant = query.Caller.Tenant;
        var invoice = Api.Features.Invoices.Invoices.Require(billing, tenant, query.Invoice);
        var sync = payments.ListSync(tenant).Where(r => r.InvoiceId == invoice.Id).Select(OutboxRecordView.From).ToList();
        var state = payments.FindPaymentState(tenant, invoice.Id);
        return ValueTask.FromResult(new InvoicePaymentView(invoice.Id, invoice.Number, invoice.Status, sync, state is null ? null : PaymentStateView.From(state, invoice.Currency)));
    }
}
