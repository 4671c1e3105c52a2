using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Accounting;

/// <summary>
/// Reads what a tenant's journal is derived from out of the stores: every document, credit grant and ledger entry of
/// each customer with documents or grants, the payment states of its documents, and — from the customer's events under
/// <paramref name="rules"/> (the activity read model) — when each billed outcome became billable.
/// </summary>
public static class JournalSource
{
    public static JournalInput Read(IBillingStore billing, IPaymentStore? payments, string tenant, CompiledRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(billing);
        ArgumentNullException.ThrowIfNull(rules);
        var documents = billing.ListInvoices(tenant);
        var customers = documents.Select(d => d.Customer).Concat(billing.Customers(tenant)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var grants = customers.SelectMany(c => billing.ListGrants(tenant, c)).ToList();
        var ledger = customers.SelectMany(c => billing.ReadLedger(tenant, c)).ToList();
        var billed = documents.Select(d => d.Customer).ToHashSet(StringComparer.Ordinal);
        var timeline = OutcomeTimeline.From(billed.Order(StringComparer.Ordinal)
            .Select(c => CustomerActivity.From(rules, c, billing.ReadEvents(tenant, c))));
        var states = payments is null
            ? []
            : documents.Select(d => payments.FindPaymentState(tenant, d.Id)).OfType<InvoicePaymentState>().ToList();
        return new JournalInput(tenant, documents, timeline, grants, ledger, states);
    }
}
