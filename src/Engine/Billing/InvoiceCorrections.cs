using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Storage;
using static RulesBilling.Engine.Billing.BillingDocuments;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// The use case of re-rating finalized periods: late events and late reversals become credit notes and adjustment
/// invoices referencing the original, never edits of it.
/// </summary>
public sealed class InvoiceCorrections
{
    private readonly IBillingStore _store;
    private readonly CustomerRating _rating;
    private readonly TimeProvider _time;
    private readonly IFinalizationListener? _listener;

    /// <param name="rules">Gives the tenant's rule set in force now (it may be reloaded between calls).</param>
    /// <param name="listener">
    /// Told of each finalization, void and hold inside its transaction (the payments and notifications outboxes,
    /// combined by <see cref="CompositeFinalizationListener"/>).
    /// </param>
    /// <param name="assignments">
    /// Gives the explicit contract assignments of (tenant, customer); they win over the rule files' customer lists
    /// (see <see cref="ContractAssignment"/>). None when omitted.
    /// </param>
    public InvoiceCorrections(
        IBillingStore store, IRuleSetSource rules, TimeProvider time, IFinalizationListener? listener = null,
        IContractAssignmentSource? assignments = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _rating = new CustomerRating(store, rules, assignments);
        _time = time;
        _listener = listener;
    }

    /// <summary>
    /// Re-rates every finalized period of the customer with the current events (late events, late reversals) and
    /// issues, per original invoice, a credit note for lines that went down and an adjustment invoice for lines that
    /// went up, both referencing the original and numbered in the tenant's sequence. Idempotent: a second run with
    /// no new events issues nothing. Returns the documents issued by this call.
    /// </summary>
    public IReadOnlyList<Invoice> Corrections(string tenant, string customer)
    {
        RequireNames(tenant, customer);
        var rules = _rating.RulesOf(tenant);
        var now = _time.GetUtcNow();
        var originals = _store.ListInvoices(tenant, customer)
            .Where(i => i.Kind == InvoiceKind.Invoice && i.Status == InvoiceStatus.Finalized)
            .OrderBy(i => i.PeriodFrom.UtcTicks).ThenBy(i => i.Contract, StringComparer.Ordinal).ThenBy(i => i.Id, StringComparer.Ordinal)
            .ToList();

        var issued = new List<Invoice>();
        if (originals.Count == 0) return issued;
        // Every original is re-rated from the same activity: detect it once, not once per invoice.
        var activity = _rating.Activity(tenant, customer, rules);
        foreach (var original in originals)
        {
            var period = _rating.PeriodAt(tenant, rules, customer, original.PeriodFrom);
            if (period.Contract != original.Contract || period.Period != new BillingPeriodRange(original.PeriodFrom, original.PeriodTo))
            {
                throw new BillingException($"invoice {Name(original)} covers {original.Contract} {Show(new BillingPeriodRange(original.PeriodFrom, original.PeriodTo))}, but the current rules put that time in {period.Contract} {Show(period.Period)}; it cannot be re-rated");
            }
            var rated = _rating.Netted(tenant, customer, period, PeriodRater.Rate(tenant, activity, period, _rating.Issued(tenant, customer)));
            if (rated.Draft is null || rated.Errors.Count > 0)
            {
                throw new BillingException(
                    $"cannot re-rate invoice {Name(original)}: {rated.Errors.Count} rating error(s)\n" + string.Join("\n", rated.Errors), rated.Errors);
            }

            issued.AddRange(_store.InTransaction(tx =>
            {
                var corrections = tx.ListInvoices(tenant, customer).Where(c => c.Corrects == original.Id).ToList();
                var documents = CorrectionBuilder.Build(original, corrections, rated.Draft, now, period.Segments[^1].Version.Corrections)
                    .Select(d => d with { Number = Number(tx.NextInvoiceNumber(tenant)) })
                    .ToList();
                foreach (var document in documents)
                {
                    tx.SaveInvoice(document);
                    // Issued finalized: announced (credit_note.created / invoice.finalized) in the same transaction.
                    _listener?.Finalized(tx, document);
                }
                return documents;
            }));
        }
        return issued;
    }
}
