using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Billing.BillingDocuments;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// The use case of an invoice's life: finalize a period (held when a guard says so), release a held invoice, void an
/// invoice or correction. Finalized documents are never edited: corrections are new documents
/// (<see cref="InvoiceCorrections"/>). Every call is tenant-scoped, rates with the rule set in force at the call and
/// takes "now" from the injected <see cref="TimeProvider"/>. Failures the caller can act on are
/// <see cref="BillingException"/>s with a readable message.
/// </summary>
public sealed class InvoiceLifecycle
{
    private readonly IBillingStore _store;
    private readonly CustomerRating _rating;
    private readonly TimeProvider _time;
    private readonly IFinalizationListener? _listener;
    private readonly ThresholdInvoicing _thresholds;

    /// <param name="rules">Gives the tenant's rule set in force now (it may be reloaded between calls).</param>
    /// <param name="listener">
    /// Told of each finalization, void and hold inside its transaction (the payments and notifications outboxes,
    /// combined by <see cref="CompositeFinalizationListener"/>).
    /// </param>
    /// <param name="assignments">
    /// Gives the explicit contract assignments of (tenant, customer); they win over the rule files' customer lists
    /// (see <see cref="ContractAssignment"/>). None when omitted.
    /// </param>
    public InvoiceLifecycle(
        IBillingStore store, IRuleSetSource rules, TimeProvider time, IFinalizationListener? listener = null,
        IContractAssignmentSource? assignments = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _rating = new CustomerRating(store, rules, assignments);
        _time = time;
        _listener = listener;
        // Finalizing first issues the thresholds crossed in the period that no check issued yet.
        _thresholds = new ThresholdInvoicing(store, rules, time, listener, assignments);
    }

    /// <summary>
    /// Finalizes the period containing <paramref name="periodFrom"/> (normally its first instant). Idempotent: an
    /// existing finalized invoice for (tenant, customer, contract, period) is returned unchanged. When a guard
    /// holds the invoice it is stored as <see cref="InvoiceStatus.Held"/> and returned; after
    /// <see cref="Release"/> the next call finalizes it. Credits are applied and the invoice, its number and its
    /// ledger entries are written in one transaction.
    /// </summary>
    /// <exception cref="BillingException">No contract, the period has not ended, or rating errors (listed).</exception>
    public Invoice Finalize(string tenant, string customer, DateTimeOffset periodFrom)
    {
        RequireNames(tenant, customer);
        var rules = _rating.RulesOf(tenant);
        var now = _time.GetUtcNow();
        var period = _rating.PeriodAt(tenant, rules, customer, periodFrom);
        if (now < period.Period.To)
        {
            throw new BillingException($"the period {Show(period.Period)} of customer '{customer}' has not ended yet (now {UtcTimestamp.Format(now)}); preview it instead");
        }

        var existing = CurrentInvoice(_store, tenant, customer, period);
        if (existing is { Status: InvoiceStatus.Finalized }) return existing;

        // Thresholds crossed in the period that no check issued yet are issued first, so the documents of a period
        // do not depend on when (or whether) a check ran (docs/dsl-spec.md §10.9).
        _thresholds.IssueThresholds(tenant, customer, rules, period, now);
        var rated = _rating.Rate(tenant, customer, rules, period);
        if (rated.Draft is null || rated.Errors.Count > 0)
        {
            throw new BillingException(
                $"cannot finalize {customer} {Show(period.Period)}: {rated.Errors.Count} rating error(s)\n" + string.Join("\n", rated.Errors),
                rated.Errors);
        }

        var draft = rated.Draft with { Id = RevisionId(_store, rated.Draft) };
        var released = existing is { Status: InvoiceStatus.Draft };
        if (draft.Status == InvoiceStatus.Held && !released)
        {
            return _store.InTransaction(tx =>
            {
                tx.SaveInvoice(draft);
                _listener?.Held(tx, draft);
                return draft;
            });
        }

        return _store.InTransaction(tx =>
        {
            // Re-checked inside the transaction (after taking the period's lock on a shared store) so two concurrent
            // calls, in one process or on several nodes, cannot both number an invoice.
            (tx as IPeriodCloseLock)?.LockPeriod(tenant, customer, period.Contract, period.Period.From);
            if (CurrentInvoice(tx, tenant, customer, period) is { Status: InvoiceStatus.Finalized } raced) return raced;
            if (ThresholdBilling.Schedule(period) is not null) ThresholdInvoicing.RequireNetted(tx, tenant, customer, period, draft);
            var balances = CreditApplier.Balances(tx.ListGrants(tenant, customer), tx.ReadLedger(tenant, customer));
            var credited = CreditApplier.ApplyTo(draft, balances, now);
            var invoice = credited.Invoice with { Number = Number(tx.NextInvoiceNumber(tenant)), Status = InvoiceStatus.Finalized };
            tx.SaveInvoice(invoice);
            foreach (var entry in credited.LedgerEntries) tx.AppendLedger(entry);
            _listener?.Finalized(tx, invoice);
            return invoice;
        });
    }

    /// <summary>Releases a held invoice so that the next <see cref="Finalize"/> of its period finalizes it.</summary>
    public Invoice Release(string tenant, string invoiceId)
    {
        var invoice = Find(_store, tenant, invoiceId);
        if (invoice.Status != InvoiceStatus.Held)
        {
            throw new BillingException($"invoice {Name(invoice)} is {InvoiceNames.Of(invoice.Status)}; only held invoices can be released");
        }
        var released = invoice with { Status = InvoiceStatus.Draft };
        _store.SaveInvoice(released);
        return released;
    }

    /// <summary>
    /// Voids an invoice or correction (idempotent) and gives its consumed credits back. The period can then be
    /// finalized again as a new invoice. An invoice with live corrections must have them voided first.
    /// The void time and the optional <paramref name="reason"/> are recorded on the document.
    /// </summary>
    public Invoice Void(string tenant, string invoiceId, string? reason = null)
    {
        var now = _time.GetUtcNow();
        return _store.InTransaction(tx =>
        {
            var invoice = Find(tx, tenant, invoiceId);
            if (invoice.Status == InvoiceStatus.Void) return invoice;
            var corrections = tx.ListInvoices(tenant, invoice.Customer)
                .Where(c => c.Corrects == invoice.Id && c.Status != InvoiceStatus.Void).Select(Name).Order(StringComparer.Ordinal).ToList();
            if (corrections.Count > 0)
            {
                throw new BillingException($"invoice {Name(invoice)} has corrections ({string.Join(", ", corrections)}); void them first");
            }

            var voided = invoice with { Status = InvoiceStatus.Void, VoidedAt = now, VoidReason = reason };
            tx.SaveInvoice(voided);
            _listener?.Voided(tx, voided);
            var balances = CreditApplier.Balances(tx.ListGrants(tenant, invoice.Customer), tx.ReadLedger(tenant, invoice.Customer))
                .ToDictionary(b => b.Grant.Id, b => b.Balance, StringComparer.Ordinal);
            foreach (var used in invoice.Credits)
            {
                var balance = balances.GetValueOrDefault(used.GrantId) + used.Amount;
                balances[used.GrantId] = balance;
                tx.AppendLedger(new CreditLedgerEntry(tenant, DeterministicId.For("led", tenant, invoice.Id, used.GrantId, CreditLedgerKinds.Reversal),
                    invoice.Customer, used.GrantId, invoice.Currency, used.Amount, balance, CreditLedgerKinds.Reversal, invoice.Id, now));
            }
            return voided;
        });
    }
}
