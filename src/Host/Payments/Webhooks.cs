using Mediator;
using RulesBilling.Engine.Payments;

namespace RulesBilling.Host.Payments;

/// <summary>
/// One webhook delivery, verified on <see cref="RawBody"/> exactly as received and stored once by provider event id.
/// There is no API key: the signature (made with the tenant's webhook secret) is the authentication.
/// </summary>
internal sealed record ReceiveWebhook(PaymentProvider Provider, string Tenant, string RawBody, string? Signature, string? EventIdHeader)
    : ICommand<WebhookReceipt>
{
    public override string ToString() => $"ReceiveWebhook {{ Provider = {Provider}, Tenant = {Tenant}, Bytes = {RawBody.Length} }}";
}

internal sealed class ReceiveWebhookHandler(WebhookInbox inbox, PaymentWakeUp wakeUp, ILogger<ReceiveWebhookHandler> log)
    : ICommandHandler<ReceiveWebhook, WebhookReceipt>
{
    public ValueTask<WebhookReceipt> Handle(ReceiveWebhook command, CancellationToken cancellationToken)
    {
        var receipt = command.Provider == PaymentProvider.Stripe
            ? inbox.ReceiveStripe(command.Tenant, command.RawBody, command.Signature)
            : inbox.ReceiveRazorpay(command.Tenant, command.RawBody, command.Signature, command.EventIdHeader);
        if (receipt.Outcome == WebhookOutcome.Rejected)
        {
            log.LogWarning("Refused a {Provider} webhook for tenant {Tenant}: {Reason}", command.Provider.ToString(), command.Tenant, receipt.Error);
            return ValueTask.FromResult(receipt);
        }
        log.LogInformation("{Outcome} {Provider} webhook event {EventId} for tenant {Tenant}", receipt.Outcome.ToString(), command.Provider.ToString(), receipt.EventId, command.Tenant);
        if (receipt.Outcome == WebhookOutcome.Accepted) wakeUp.Wake();
        return ValueTask.FromResult(receipt);
    }
}
