using System.Globalization;
using System.Text.Json;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Rating;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Billing;

/// <summary>
/// The billing service the Host calls: preview, finalize, release, void, credits, corrections and simulation.
/// Every call is tenant-scoped, rates with the rule set current at the call, and takes "now" from the injected
/// <see cref="TimeProvider"/>. Finalized documents are never edited: corrections are new documents.
/// Failures the caller can act on are <see cref="BillingException"/>s with a readable message.
/// </summary>
public sealed class BillingEngine
{
    private readonly IBillingStore _store;
    private readonly IRuleSetSource _rules;
    private readonly TimeProvider _time;
    private readonly IFinalizationListener? _listener;
    private readonly IContractAssignmentSource _assignments;

    /// <param name="rules">Gives the tenant's rule set in force now (it may be reloaded between calls).</param>
    /// <param name="listener">
    /// Told of each finalization, void and hold inside its transaction (the payments and notifications outboxes,
    /// combined by <see cref="CompositeFinalizationListener"/>).
    /// </param>
    /// <param name="assignments">
    /// Gives the explicit contract assignments of (tenant, customer); they win over the rule files' customer lists
    /// (see <see cref="ContractAssignment"/>). None when omitted.
    /// </param>
    public BillingEngine(
        IBillingStore store, IRuleSetSource rules, TimeProvider time, IFinalizationListener? listener = null,
        IContractAssignmentSource? assignments = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _rules = rules;
        _time = time;
        _listener = listener;
        _assignments = assignments ?? NoContractAssignments.Instance;
    }

    /// <summary>
    /// Drafts the invoice of the period containing <paramref name="at"/> (default: now) with credits as they would
    /// apply; stores nothing. Outcomes still in their validation window at the period end are shown as pending.
    /// When the period is already invoiced, <see cref="PreviewResult.Issued"/> names that invoice and the corrections
    /// a <see cref="Corrections"/> run would issue from the current events.
    /// </summary>
    public PreviewResult Preview(string tenant, string customer, DateTimeOffset? at = null)
    {
        RequireNames(tenant, customer);
        var rules = _rules.RulesOf(tenant);
        var period = PeriodAt(tenant, rules, customer, at ?? _time.GetUtcNow());
        var rated = Rate(tenant, customer, rules, period);
        var issued = IssuedInvoice.Of(_store, tenant, customer, period, rated.Draft, _time.GetUtcNow());
        if (rated.Draft is null) return new PreviewResult([], rated.Errors) { Issued = issued };
        var balances = CreditApplier.Balances(_store.ListGrants(tenant, customer), _store.ReadLedger(tenant, customer));
        var credited = CreditApplier.ApplyTo(rated.Draft, balances, _time.GetUtcNow()).Invoice;
        return new PreviewResult([credited], rated.Errors) { Issued = issued };
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
        var rules = _rules.RulesOf(tenant);
        var now = _time.GetUtcNow();
        var period = PeriodAt(tenant, rules, customer, periodFrom);
        if (now < period.Period.To)
        {
            throw new BillingException($"the period {Show(period.Period)} of customer '{customer}' has not ended yet (now {UtcTimestamp.Format(now)}); preview it instead");
        }

        var existing = CurrentInvoice(_store, tenant, customer, period);
        if (existing is { Status: InvoiceStatus.Finalized }) return existing;

        // Thresholds crossed in the period that no check issued yet are issued first, so the documents of a period
        // do not depend on when (or whether) a check ran (docs/dsl-spec.md §10.9).
        IssueThresholds(tenant, customer, rules, period, now);
        var rated = Rate(tenant, customer, rules, period);
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
            if (ThresholdBilling.Schedule(period) is not null) RequireNetted(tx, tenant, customer, period, draft);
            var balances = CreditApplier.Balances(tx.ListGrants(tenant, customer), tx.ReadLedger(tenant, customer));
            var credited = CreditApplier.ApplyTo(draft, balances, now);
            var invoice = credited.Invoice with { Number = Number(tx.NextInvoiceNumber(tenant)), Status = InvoiceStatus.Finalized };
            tx.SaveInvoice(invoice);
            foreach (var entry in credited.LedgerEntries) tx.AppendLedger(entry);
            _listener?.Finalized(tx, invoice);
            return invoice;
        });
    }

    /// <summary>
    /// Issues the threshold invoices the open period containing <paramref name="at"/> (default: now) owes for the usage
    /// billable until now (docs/dsl-spec.md §10.9): each finalized, numbered and announced like any invoice, credits
    /// applied. Idempotent: a threshold is billed at most once per period, also by concurrent calls on several nodes
    /// (the period's lock, then a re-check of the period's threshold invoices). Returns the documents issued by this call.
    /// </summary>
    /// <exception cref="BillingException">No contract, or rating errors (listed) at an instant the check had to read.</exception>
    public IReadOnlyList<Invoice> IssueThresholdInvoices(string tenant, string customer, DateTimeOffset? at = null)
    {
        RequireNames(tenant, customer);
        var rules = _rules.RulesOf(tenant);
        var now = _time.GetUtcNow();
        return IssueThresholds(tenant, customer, rules, PeriodAt(tenant, rules, customer, at ?? now), now);
    }

    /// <summary>
    /// The background threshold check (docs/dsl-spec.md §10.9.3): <see cref="IssueThresholdInvoices"/> for the period
    /// open now, and the next instant at which its running amount can move without a new event (an outcome's validation
    /// window closing, a segment or the next period starting on total), so the caller can check again then. Nothing for
    /// a customer whose contract has no thresholds.
    /// </summary>
    /// <exception cref="BillingException">No contract, or rating errors at an instant the check had to read.</exception>
    public ThresholdCheck CheckThresholds(string tenant, string customer)
    {
        RequireNames(tenant, customer);
        var rules = _rules.RulesOf(tenant);
        var now = _time.GetUtcNow();
        var period = PeriodAt(tenant, rules, customer, now);
        if (ThresholdBilling.Schedule(period) is null) return ThresholdCheck.None;
        var activity = Activity(tenant, customer, rules);
        return new ThresholdCheck(IssueThresholds(tenant, customer, rules, period, now, activity), ThresholdBilling.NextMove(activity, period, now));
    }

    private IReadOnlyList<Invoice> IssueThresholds(
        string tenant, string customer, CompiledRuleSet rules, ContractPeriod period, DateTimeOffset now, CustomerActivity? activity = null)
    {
        if (ThresholdBilling.Schedule(period) is null) return [];
        var issued = ThresholdBilling.Of(_store.ListInvoices(tenant, customer), period);
        var plan = ThresholdBilling.Plan(tenant, activity ?? Activity(tenant, customer, rules), period, issued, now);
        if (plan.Errors.Count > 0)
        {
            throw new BillingException(
                $"cannot check the thresholds of {customer} {Show(period.Period)}: {plan.Errors.Count} rating error(s)\n" + string.Join("\n", plan.Errors), plan.Errors);
        }
        if (plan.Drafts.Count == 0) return [];

        return _store.InTransaction(tx =>
        {
            // Under the period's lock: another call that issued meanwhile (or closed the period) wins, and this one issues nothing.
            (tx as IPeriodCloseLock)?.LockPeriod(tenant, customer, period.Contract, period.Period.From);
            var invoices = tx.ListInvoices(tenant, customer);
            if (CurrentInvoice(tx, tenant, customer, period) is { Status: InvoiceStatus.Finalized }) return (IReadOnlyList<Invoice>)[];
            if (!ThresholdBilling.Of(invoices, period).Select(i => i.Id).SequenceEqual(issued.Select(i => i.Id), StringComparer.Ordinal)) return [];
            var documents = new List<Invoice>();
            foreach (var draft in plan.Drafts)
            {
                var balances = CreditApplier.Balances(tx.ListGrants(tenant, customer), tx.ReadLedger(tenant, customer));
                var credited = CreditApplier.ApplyTo(draft, balances, now);
                var invoice = credited.Invoice with { Number = Number(tx.NextInvoiceNumber(tenant)), Status = InvoiceStatus.Finalized, IssuedAt = now };
                tx.SaveInvoice(invoice);
                foreach (var entry in credited.LedgerEntries) tx.AppendLedger(entry);
                _listener?.Finalized(tx, invoice);
                documents.Add(invoice);
            }
            return documents;
        });
    }

    /// <summary>A threshold invoice issued (or voided) after the period's invoice was rated would be billed twice (or never): refuse, the caller retries.</summary>
    private static void RequireNetted(IBillingStore tx, string tenant, string customer, ContractPeriod period, Invoice draft)
    {
        var live = ThresholdBilling.Of(tx.ListInvoices(tenant, customer), period).Where(i => i.Status != InvoiceStatus.Void).Sum(ThresholdBilling.Billed);
        var netted = -draft.Lines.Where(l => l.Kind == LineKind.ThresholdCredit).Sum(l => l.Amount);
        if (live != netted)
        {
            throw new BillingException($"the threshold invoices of {customer} {Show(period.Period)} changed while its invoice was rated; finalize again");
        }
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

    /// <summary>
    /// Grants prepaid credit. With an explicit <paramref name="grantId"/> the call is idempotent: granting the same
    /// id again returns the existing grant, and a different grant under that id is refused.
    /// </summary>
    public CreditGrant GrantCredits(
        string tenant, string customer, decimal amount, string currency, int priority = CreditGrant.LowestPriority,
        DateTimeOffset? expiresAt = null, string? description = null, string? grantId = null)
    {
        RequireNames(tenant, customer);
        var now = _time.GetUtcNow();
        RequireCurrency(currency);
        if (amount <= 0m || !CurrencyMath.IsRounded(amount, currency))
        {
            throw new BillingException($"a credit grant must be a positive amount in whole {currency} minor units, got {amount.ToString(CultureInfo.InvariantCulture)}");
        }
        if (priority is < CreditGrant.HighestPriority or > CreditGrant.LowestPriority)
        {
            throw new BillingException($"a credit grant's priority must be from {CreditGrant.HighestPriority} to {CreditGrant.LowestPriority}, got {priority}");
        }
        if (expiresAt is { } expiry && expiry <= now)
        {
            throw new BillingException($"a credit grant cannot expire in the past ({UtcTimestamp.Format(expiry)})");
        }

        return _store.InTransaction(tx =>
        {
            var grants = tx.ListGrants(tenant, customer);
            var id = grantId ?? DeterministicId.For("grant", tenant, customer, UtcTimestamp.Format(now), grants.Count.ToString(CultureInfo.InvariantCulture));
            var grant = new CreditGrant(tenant, id, customer, currency, amount, priority, now, expiresAt?.ToUniversalTime(), description);
            if (grants.FirstOrDefault(g => g.Id == id) is { } existing)
            {
                if (existing with { GrantedAt = now } == grant) return existing;
                throw new BillingException($"credit grant '{id}' already exists for customer '{customer}' with other terms");
            }
            tx.SaveGrant(grant);
            tx.AppendLedger(new CreditLedgerEntry(tenant, DeterministicId.For("led", tenant, id, CreditLedgerKinds.Grant), customer, id,
                currency, amount, amount, CreditLedgerKinds.Grant, null, now));
            return grant;
        });
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
        var rules = _rules.RulesOf(tenant);
        var now = _time.GetUtcNow();
        var originals = _store.ListInvoices(tenant, customer)
            .Where(i => i.Kind == InvoiceKind.Invoice && i.Status == InvoiceStatus.Finalized)
            .OrderBy(i => i.PeriodFrom.UtcTicks).ThenBy(i => i.Contract, StringComparer.Ordinal).ThenBy(i => i.Id, StringComparer.Ordinal)
            .ToList();

        var issued = new List<Invoice>();
        if (originals.Count == 0) return issued;
        // Every original is re-rated from the same activity: detect it once, not once per invoice.
        var activity = Activity(tenant, customer, rules);
        foreach (var original in originals)
        {
            var period = PeriodAt(tenant, rules, customer, original.PeriodFrom);
            if (period.Contract != original.Contract || period.Period != new BillingPeriodRange(original.PeriodFrom, original.PeriodTo))
            {
                throw new BillingException($"invoice {Name(original)} covers {original.Contract} {Show(new BillingPeriodRange(original.PeriodFrom, original.PeriodTo))}, but the current rules put that time in {period.Contract} {Show(period.Period)}; it cannot be re-rated");
            }
            var rated = Netted(tenant, customer, period, PeriodRater.Rate(tenant, activity, period, Issued(tenant, customer)));
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

    /// <summary>
    /// Runs ingestion and rating on a throw-away in-memory store: every period (of every customer, or of
    /// <paramref name="customer"/>) overlapping [from, to) — by default the span of the events — is drafted as of
    /// its period end. Events are CloudEvents as JSON Lines, or one JSON array. Accepted events in range that no
    /// contract governs are reported as <see cref="SimulationResult.Unbilled"/>.
    /// </summary>
    /// <exception cref="BillingException">
    /// The input as a whole is unusable (e.g. a malformed JSON array), or <paramref name="customer"/> has no events and
    /// no contract in an explicit range (most likely a typo).
    /// </exception>
    public static SimulationResult Simulate(
        CompiledRuleSet rules, TextReader events, TimeProvider time,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? customer = null, IProgress<SimulationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(time);
        using var session = DryRunSession.Compact(rules, time);
        return Run(session, events, from, to, customer, progress);
    }

    /// <summary>
    /// The same dry run over a caller's store (e.g. a LiteDB file), so the events go through the durable path:
    /// they are kept, and a second run over the same file reports them as duplicates and rates the same invoices.
    /// Nothing is finalized and nothing is sent.
    /// </summary>
    public static SimulationResult Simulate(
        CompiledRuleSet rules, TextReader events, TimeProvider time, IBillingStore store,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? customer = null, IProgress<SimulationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(store);
        using var session = new DryRunSession(rules, time, store);
        return Run(session, events, from, to, customer, progress);
    }

    private static SimulationResult Run(
        DryRunSession session, TextReader events, DateTimeOffset? from, DateTimeOffset? to, string? customer, IProgress<SimulationProgress>? progress)
    {
        var ingestion = session.IngestAll(events);
        if (!ingestion.Succeeded) throw new BillingException(ingestion.Error!);
        return session.Simulate(from, to, customer, progress);
    }

    /// <summary>
    /// Rates one contract period of a customer from what is stored for the customer (its outcome state when current),
    /// netted by the period's threshold invoices (§10.9).
    /// </summary>
    private RatedPeriod Rate(string tenant, string customer, CompiledRuleSet rules, ContractPeriod period) =>
        Netted(tenant, customer, period, PeriodRater.Rate(tenant, Activity(tenant, customer, rules), period, Issued(tenant, customer)));

    /// <summary>
    /// The customer's finalized documents, read when a carried coupon asks (§9.14.1), so other periods cost what they
    /// did. Read again on every call: a correction run sees the corrections it issued for earlier periods.
    /// </summary>
    private Func<IReadOnlyList<Invoice>> Issued(string tenant, string customer) => () =>
        _store.ListInvoices(tenant, customer).Where(i => i.Status == InvoiceStatus.Finalized).ToList();

    /// <summary>Invoices are read only for a contract with thresholds, so other periods cost what they did.</summary>
    private RatedPeriod Netted(string tenant, string customer, ContractPeriod period, RatedPeriod rated) =>
        ThresholdBilling.Schedule(period) is null
            ? rated
            : ThresholdBilling.Net(rated, ThresholdBilling.Of(_store.ListInvoices(tenant, customer), period));

    private CustomerActivity Activity(string tenant, string customer, CompiledRuleSet rules) =>
        CustomerActivity.Load(_store, tenant, customer, rules);

    private ContractPeriod PeriodAt(string tenant, CompiledRuleSet rules, string customer, DateTimeOffset at) =>
        ContractResolver.PeriodAt(rules.Contracts, customer, at, _assignments.AssignmentsOf(tenant, customer))
        ?? throw new BillingException($"no contract governs customer '{customer}' at {UtcTimestamp.Format(at)}");

    /// <summary>The live (non-void) invoice of a period: held, released (stored as draft) or finalized.</summary>
    private static Invoice? CurrentInvoice(IBillingStore store, string tenant, string customer, ContractPeriod period) =>
        store.ListInvoices(tenant, customer).FirstOrDefault(i =>
            i.Status != InvoiceStatus.Void && Covers(i, period.Contract, period.Period.From, period.Period.To));

    /// <summary>A period finalized again after a void gets a new id, so the voided document stays as it was.</summary>
    private static string RevisionId(IBillingStore store, Invoice draft)
    {
        var voided = store.ListInvoices(draft.Tenant, draft.Customer).Count(i =>
            i.Status == InvoiceStatus.Void && Covers(i, draft.Contract, draft.PeriodFrom, draft.PeriodTo));
        return voided == 0 ? draft.Id : DeterministicId.For("inv", draft.Id, "revision", voided.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>An invoice (not a correction) of exactly this contract period.</summary>
    private static bool Covers(Invoice invoice, string contract, DateTimeOffset from, DateTimeOffset to) =>
        invoice.Kind == InvoiceKind.Invoice && invoice.Contract == contract && invoice.PeriodFrom == from && invoice.PeriodTo == to;

    private static Invoice Find(IBillingStore store, string tenant, string invoiceId) =>
        store.FindInvoice(tenant, invoiceId) ?? throw new BillingException($"no invoice '{invoiceId}' in tenant '{tenant}'");

    private static string Number(long sequence) => "INV-" + sequence.ToString("D6", CultureInfo.InvariantCulture);

    private static string Name(Invoice invoice) => invoice.Number ?? invoice.Id;

    private static string Show(BillingPeriodRange range) => $"{UtcTimestamp.Format(range.From)}..{UtcTimestamp.Format(range.To)}";

    private static void RequireNames(string tenant, string customer)
    {
        if (string.IsNullOrEmpty(tenant)) throw new BillingException("a tenant is required");
        if (string.IsNullOrEmpty(customer)) throw new BillingException("a customer is required");
    }

    private static void RequireCurrency(string currency)
    {
        if (!Currencies.IsKnown(currency)) throw new BillingException($"unknown currency '{currency}': not an ISO 4217 code");
    }
}
