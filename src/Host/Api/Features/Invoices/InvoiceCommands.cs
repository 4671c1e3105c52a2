using Mediator;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.Invoices;

/// <summary>Finalizes the period containing <see cref="PeriodFrom"/>; finalizing twice returns the same invoice.</summary>
internal sealed record FinalizeInvoice(Caller Caller, string Customer, DateTimeOffset PeriodFrom) : ICommand<Invoice>, IAudited
{
    public string AuditAction => $"invoice.finalize {Customer} {PeriodFrom:O}";
}

/// <summary>Voids an invoice or correction; the optional <see cref="Reason"/> (as in Stripe and Lago) is recorded on it.</summary>
internal sealed record VoidInvoice(Caller Caller, string InvoiceId, string? Reason = null) : ICommand<Invoice>, IAudited, IValidatable
{
    public const int MaxReasonLength = 500;

    public string AuditAction => Reason is null ? $"invoice.void {InvoiceId}" : $"invoice.void {InvoiceId} reason: {Reason}";

    public IEnumerable<string> Validate()
    {
        if (Reason is not null && (Reason.Trim().Length == 0 || Reason.Length > MaxReasonLength))
        {
            yield return $"'reason' must be 1 to {MaxReasonLength} characters when given (or be left out).";
        }
    }
}

/// <summary>Releases a held invoice so that finalizing its period goes through.</summary>
internal sealed record ReleaseInvoice(Caller Caller, string InvoiceId) : ICommand<Invoice>, IAudited
{
    public string AuditAction => $"invoice.release {InvoiceId}";
}

/// <summary>Re-rates the customer's finalized periods and issues credit notes / adjustment invoices for the differences.</summary>
internal sealed record IssueCorrections(Caller Caller, string Customer) : ICommand<IReadOnlyList<Invoice>>, IAudited
{
    public string AuditAction => $"invoice.corrections {Customer}";
}

internal sealed record IssueThresholdInvoices(Caller Caller, string Customer) : ICommand<IReadOnlyList<Invoice>>, IAudited
{
    public string AuditAction => $"invoice.thresholds {Customer}";
}

internal sealed class InvoiceCommandHandlers(ITenantStore tenants, IBillingStore store, InvoiceLifecycle lifecycle, InvoiceCorrections corrections, ThresholdInvoicing thresholds, PeriodCloseClaims closes) :
    ICommandHandler<FinalizeInvoice, Invoice>,
    ICommandHandler<VoidInvoice, Invoice>,
    ICommandHandler<ReleaseInvoice, Invoice>,
    ICommandHandler<IssueCorrections, IReadOnlyList<Invoice>>,
    ICommandHandler<IssueThresholdInvoices, IReadOnlyList<Invoice>>
{
    public ValueTask<Invoice> Handle(FinalizeInvoice command, CancellationToken cancellationToken)
    {
        Customers.Customers.RequireKnown(tenants, store, command.Caller.Tenant, command.Customer);
        return closes.RunAsync(command.Caller.Tenant, command.Customer, command.PeriodFrom,
            () => lifecycle.Finalize(command.Caller.Tenant, command.Customer, command.PeriodFrom), cancellationToken);
    }

    public ValueTask<Invoice> Handle(VoidInvoice command, CancellationToken cancellationToken)
    {
        var invoice = Invoices.Require(store, command.Caller.Tenant, command.InvoiceId);
        return ValueTask.FromResult(lifecycle.Void(command.Caller.Tenant, invoice.Id, command.Reason?.Trim()));
    }

    public ValueTask<Invoice> Handle(ReleaseInvoice command, CancellationToken cancellationToken)
    {
        var invoice = Invoices.Require(store, command.Caller.Tenant, command.InvoiceId);
        return ValueTask.FromResult(lifecycle.Release(command.Caller.Tenant, invoice.Id));
    }

    public ValueTask<IReadOnlyList<Invoice>> Handle(IssueCorrections command, CancellationToken cancellationToken)
    {
        Customers.Customers.RequireKnown(tenants, store, command.Caller.Tenant, command.Customer);
        return ValueTask.FromResult(corrections.Corrections(command.Caller.Tenant, command.Customer));
    }

    public ValueTask<IReadOnlyList<Invoice>> Handle(IssueThresholdInvoices command, CancellationToken cancellationToken)
    {
        Customers.Customers.RequireKnown(tenants, store, command.Caller.Tenant, command.Customer);
        return ValueTask.FromResult(thresholds.IssueThresholdInvoices(command.Caller.Tenant, command.Customer));
    }
}
