using System.Text;
using System.Text.Json;
using RulesBilling.Dsl.Binding;
using RulesBilling.Dsl.Text;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Activity;

/// <summary>
/// A dry run: events are ingested (through the real, durable ingestion path) into a throw-away in-memory store — or a
/// store the caller gives, e.g. a LiteDB file — under the default tenant, and invoices, usage and entitlements are
/// answered from the <see cref="CustomerActivity"/> stage exactly as the service answers them. Nothing is finalized
/// and nothing is sent. <c>simulate</c>, <c>entitlements</c>, the REPL and tests use it.
/// </summary>
public sealed class DryRunSession : IDisposable
{
    private readonly TimeProvider _time;
    private readonly bool _ownsStore;
    private readonly bool _compact;
    private CompiledRuleSet _rules;
    private readonly List<EventResult> _rejected = [];
    private int _received;

    /// <param name="store">Where the events go; a throw-away in-memory store (disposed with the session) when omitted.</param>
    public DryRunSession(CompiledRuleSet rules, TimeProvider time, IBillingStore? store = null)
        : this(rules, time, store, compact: false)
    {
    }

    private DryRunSession(CompiledRuleSet rules, TimeProvider time, IBillingStore? store, bool compact)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(time);
        _rules = rules;
        _time = time;
        _ownsStore = store is null;
        _compact = compact;
        Store = store ?? new InMemoryBillingStore(keepRawData: !compact);
    }

    /// <summary>
    /// A session on a throw-away in-memory store that keeps each accepted event's typed form and not its raw JSON
    /// (the largest part of an event): for a run that rates with one rule set, such as <c>simulate</c>. Its invoices,
    /// usage and entitlements are those of a full session (DryRunSessionCompactTests); its stored events read back
    /// without their data, its rule set cannot be changed, and <see cref="IngestAll"/> does not list accepted events.
    /// </summary>
    public static DryRunSession Compact(CompiledRuleSet rules, TimeProvider time) => new(rules, time, store: null, compact: true);

    /// <summary>The rule set the session rates with; the REPL swaps it on <c>:load</c>, keeping the events.</summary>
    /// <exception cref="InvalidOperationException">A <see cref="Compact"/> session is given another rule set: its events cannot be bound again from their JSON.</exception>
    public CompiledRuleSet Rules
    {
        get => _rules;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (_compact && value.Hash != _rules.Hash)
            {
                throw new InvalidOperationException("a compact dry run keeps no event JSON, so it cannot rate its events with another rule set");
            }
            _rules = value;
        }
    }

    public IBillingStore Store { get; }

    /// <summary>The tenant dry runs use.</summary>
    public static string Tenant => Billing.Tenant.Default;

    /// <summary>Ingests one CloudEvent (JSON).</summary>
    public IngestionResult Ingest(string json) => Track(new EventIngestor(Store, _time).Ingest(Tenant, json, Rules));

    /// <summary>Ingests CloudEvents as JSON Lines, or one JSON array of events (a <see cref="Compact"/> session lists only the rejected and duplicate ones; the counts cover all).</summary>
    /// <exception cref="BillingException">The input as a whole is unusable (e.g. a malformed JSON array).</exception>
    public IngestionResult IngestAll(TextReader events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return Track(new EventIngestor(Store, _time).IngestJsonLines(Tenant, AsJsonLines(events), Rules, listAccepted: !_compact));
    }

    /// <summary>
    /// The customer's activity from everything ingested so far, read from the outcome state ingestion already kept in
    /// the session's store instead of detecting the customer's outcomes a second time (see <see cref="CustomerActivity.Load"/>).
    /// </summary>
    public CustomerActivity Activity(string customer) => CustomerActivity.Load(Store, Tenant, customer, Rules);

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
    public static SimulationResult Run(
        CompiledRuleSet rules, TextReader events, TimeProvider time,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? customer = null, IProgress<SimulationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(time);
        using var session = Compact(rules, time);
        return IngestAndSimulate(session, events, from, to, customer, progress);
    }

    /// <summary>
    /// The same dry run over a caller's store (e.g. a LiteDB file), so the events go through the durable path:
    /// they are kept, and a second run over the same file reports them as duplicates and rates the same invoices.
    /// Nothing is finalized and nothing is sent.
    /// </summary>
    public static SimulationResult Run(
        CompiledRuleSet rules, TextReader events, TimeProvider time, IBillingStore store,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? customer = null, IProgress<SimulationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(store);
        using var session = new DryRunSession(rules, time, store);
        return IngestAndSimulate(session, events, from, to, customer, progress);
    }

    private static SimulationResult IngestAndSimulate(
        DryRunSession session, TextReader events, DateTimeOffset? from, DateTimeOffset? to, string? customer, IProgress<SimulationProgress>? progress)
    {
        var ingestion = session.IngestAll(events);
        if (!ingestion.Succeeded) throw new BillingException(ingestion.Error!);
        return session.Simulate(from, to, customer, progress);
    }

    /// <summary>The draft invoice of the period containing <paramref name="at"/>, as <see cref="InvoicePreview.Preview"/> answers it.</summary>
    public PreviewResult Preview(string customer, DateTimeOffset at) => new InvoicePreview(Store, new FixedRuleSet(Rules), _time).Preview(Tenant, customer, at);

    /// <summary>The customer's usage in the period containing <paramref name="at"/>, as of <paramref name="at"/>; null when no contract governs it then.</summary>
    public PeriodActivity? Usage(string customer, DateTimeOffset at)
    {
        var activity = Activity(customer);
        return activity.PeriodAt(at) is { } period ? activity.InPeriod(period, at) : null;
    }

    /// <summary>The entitlements as of <paramref name="at"/>: events after it have not happened yet.</summary>
    public CustomerEntitlements Entitlements(string customer, DateTimeOffset at) =>
        EntitlementCalculator.Compute(CustomerActivity.From(Rules, customer, Store.ReadEvents(Tenant, customer).Where(e => e.Time <= at)), at);

    /// <summary>
    /// Drafts every period (of every customer, or of <paramref name="customer"/>) overlapping [from, to) — by default
    /// the span of each customer's events — as of its period end, with the guards evaluated on them, the events
    /// rejected by this session's ingestion, the rating errors, and the accepted events in range no contract governs.
    /// </summary>
    /// <exception cref="BillingException"><paramref name="customer"/> has no events and no contract in an explicit range (most likely a typo).</exception>
    public SimulationResult Simulate(
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? customer = null, IProgress<SimulationProgress>? progress = null)
    {
        var invoices = new List<Invoice>();
        var errors = new List<RatingError>();
        var unbilled = new List<UnbilledEvent>();
        var customers = customer is null ? Store.Customers(Tenant) : [customer];
        if (customer is not null) RequireSimulatedCustomer(customer, from, to);
        progress?.Report(new SimulationProgress(_received, 0, customers.Count));
        var done = 0;
        foreach (var c in customers)
        {
            progress?.Report(new SimulationProgress(_received, done++, customers.Count));
            var activity = Activity(c);
            // One pass over the customer's events, none of them kept: the span they cover, and those no contract governs.
            var span = new EventSpan();
            unbilled.AddRange(activity.Unbilled(span.Track(Store.ReadEvents(Tenant, c))
                .Where(e => (from is null || e.Time >= from) && (to is null || e.Time < to))));
            // Without events the range must be given explicitly (then the customer still owes base fees).
            if (span.Count == 0 && (from is null || to is null)) continue;
            var start = from ?? span.First;
            var end = to ?? span.Last.AddTicks(1);
            foreach (var period in activity.PeriodsBetween(start, end))
            {
                // The periods drafted before stand for issued invoices: a fixed once coupon carries into the next (§9.14.1),
                // on its threshold invoices as on its invoice.
                Func<IReadOnlyList<Invoice>> issued = () => invoices.Where(i => i.Customer == c).ToList();
                // A contract with thresholds shows the threshold invoices the period would issue, then its netted invoice (§10.9).
                var thresholds = ThresholdBilling.Plan(Tenant, activity, period, [], period.Period.To, issued);
                invoices.AddRange(thresholds.Drafts);
                errors.AddRange(thresholds.Errors);
                var rated = ThresholdBilling.Net(PeriodRater.Rate(Tenant, activity, period, issued), thresholds.Drafts);
                if (rated.Draft is not null) invoices.Add(rated.Draft);
                errors.AddRange(rated.Errors);
            }
        }

        progress?.Report(new SimulationProgress(_received, customers.Count, customers.Count));
        var guards = invoices
            .SelectMany(i => i.Guards.Select(g => new SimulatedGuard(i.Customer, i.Contract, i.PeriodFrom, i.PeriodTo, g)))
            .ToList();
        var distinctErrors = errors.Distinct()
            .OrderBy(e => e.Customer, StringComparer.Ordinal).ThenBy(e => e.EventId, StringComparer.Ordinal).ThenBy(e => e.Rule, StringComparer.Ordinal)
            .ToList();
        var orderedUnbilled = unbilled
            .OrderBy(u => u.Customer, StringComparer.Ordinal).ThenBy(u => u.Time).ThenBy(u => u.EventId, StringComparer.Ordinal)
            .ToList();
        return new SimulationResult(invoices, guards, _rejected.ToList(), distinctErrors, orderedUnbilled);
    }

    public void Dispose()
    {
        if (_ownsStore) Store.Dispose();
    }

    private IngestionResult Track(IngestionResult result)
    {
        if (!result.Succeeded) return result;
        _received += result.Accepted + result.Duplicates + result.Rejected;
        _rejected.AddRange(result.Events.Where(e => e.Status == EventStatus.Rejected));
        return result;
    }

    /// <summary>
    /// <c>--customer</c> naming nobody (a typo) is an error, not an empty result: the customer must have events in the
    /// input, or a contract in force in an explicit range (a customer without usage still owes its base fee).
    /// </summary>
    private void RequireSimulatedCustomer(string customer, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (Store.ReadEvents(Tenant, customer).Any()) return;
        if (from is { } start && to is { } end && ContractResolver.PeriodsBetween(Rules.Contracts, customer, start, end).Count > 0) return;
        var known = Store.Customers(Tenant);
        var why = from is not null && to is not null ? "and no contract governs it in the range" : "(give --from and --to to bill a customer without usage)";
        throw new BillingException($"customer '{customer}'{NameSuggestions.DidYouMean(customer, known)} has no events in the input {why}; "
            + "customers with events: " + NameSuggestions.List(known));
    }

    /// <summary>The earliest and latest time of the events passed through <see cref="Track"/>, and how many.</summary>
    private sealed class EventSpan
    {
        public int Count { get; private set; }

        public DateTimeOffset First { get; private set; } = DateTimeOffset.MaxValue;

        public DateTimeOffset Last { get; private set; } = DateTimeOffset.MinValue;

        public IEnumerable<StoredEvent> Track(IEnumerable<StoredEvent> events)
        {
            foreach (var e in events)
            {
                Count++;
                if (e.Time < First) First = e.Time;
                if (e.Time > Last) Last = e.Time;
                yield return e;
            }
        }
    }

    /// <summary>
    /// A JSON array input is re-emitted one event per line so that any number of events can be simulated. JSON Lines
    /// are streamed as they are read: only an array needs the whole input in memory (a 1M-event file is about 600 MB
    /// as one string).
    /// </summary>
    private static TextReader AsJsonLines(TextReader events)
    {
        var leading = new StringBuilder();
        int next;
        while ((next = events.Peek()) >= 0 && char.IsWhiteSpace((char)next)) leading.Append((char)events.Read());
        // Peek answers -1 at the end and on readers that cannot peek; read those whole, as before.
        if (next >= 0 && next != '[') return new PrefixedReader(leading.ToString(), events);

        var text = leading + events.ReadToEnd();
        if (!text.TrimStart().StartsWith('[')) return new StringReader(text);
        try
        {
            using var document = JsonDocument.Parse(text);
            return new StringReader(string.Join("\n", document.RootElement.EnumerateArray().Select(e => e.GetRawText())));
        }
        catch (JsonException ex)
        {
            throw new BillingException($"malformed JSON array of events: {ex.Message}");
        }
    }

    /// <summary>The whitespace read while looking for a '[' and then the rest of the input, so line numbers stay those of the input.</summary>
    private sealed class PrefixedReader(string prefix, TextReader rest) : TextReader
    {
        private string _prefix = prefix;

        public override int Peek() => _prefix.Length > 0 ? _prefix[0] : rest.Peek();

        public override int Read()
        {
            if (_prefix.Length == 0) return rest.Read();
            var c = _prefix[0];
            _prefix = _prefix[1..];
            return c;
        }

        public override string? ReadLine()
        {
            if (_prefix.Length == 0) return rest.ReadLine();
            var end = _prefix.AsSpan().IndexOfAny('\r', '\n');
            if (end < 0)
            {
                // Whitespace before the first line's content: part of that line.
                var start = _prefix;
                _prefix = "";
                return start + rest.ReadLine();
            }
            var line = _prefix[..end];
            _prefix = _prefix[(end + (_prefix[end] == '\r' && end + 1 < _prefix.Length && _prefix[end + 1] == '\n' ? 2 : 1))..];
            return line;
        }
    }
}
