using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Outcomes;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Ingestion;

/// <summary>
/// Accepts CloudEvents 1.0 in structured JSON mode (one event object, a batch array, or a JSON Lines file),
/// validates each against the rule set, and stores accepted events and rejections through the store.
/// <para>
/// Guarantees: the events and rejections of one call (one chunk of <see cref="MaxBatchSize"/> lines for JSON Lines)
/// are written in one store transaction, so when the call returns they are durable, and when it throws nothing of
/// that chunk was written (on a single-writer store, calls that overlap may share that transaction: <see cref="AppendCombiner"/>). Identity is (tenant, source, id): a repeat, in the same batch or later, is reported
/// <see cref="EventStatus.Duplicate"/> and changes nothing, so clients can retry freely. A rejected event is kept
/// with its raw JSON and reason, keyed by a hash of that JSON, so sending the same bad event twice stores it once;
/// <see cref="Replay"/> re-validates rejections after the rules are fixed.
/// </para>
/// </summary>
public sealed class EventIngestor
{
    /// <summary>The most events one <see cref="Ingest"/> call accepts; a larger batch is refused as a whole.</summary>
    public const int MaxBatchSize = 1000;

    private readonly IBillingStore _store;
    private readonly TimeProvider _time;
    private readonly AppendCombiner? _combiner;

    /// <param name="store">Where accepted and rejected events go.</param>
    /// <param name="time">Source of <see cref="StoredEvent.StoredAt"/> and <see cref="RejectedEvent.RejectedAt"/>.</param>
    public EventIngestor(IBillingStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
        _combiner = AppendCombiner.Suits(store) ? new AppendCombiner(store) : null;
    }

    /// <summary>
    /// Ingests a request body: one CloudEvent object or an array of at most <see cref="MaxBatchSize"/>.
    /// Malformed JSON, another top-level value or an oversized batch gives a result with
    /// <see cref="IngestionResult.Error"/> and writes nothing.
    /// </summary>
    public IngestionResult Ingest(string tenant, string json, CompiledRuleSet rules)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentNullException.ThrowIfNull(rules);
        if (string.IsNullOrWhiteSpace(json)) return IngestionResult.Failed("malformed JSON: the input is empty");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, CloudEventReader.JsonOptions);
        }
        // A lone UTF-16 surrogate cannot be transcoded to UTF-8 (ArgumentException): malformed input like any other.
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return IngestionResult.Failed(JsonErrorText.ReasonWithPosition(e));
        }

        using (document)
        {
            var root = document.RootElement;
            List<Candidate> candidates;
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                    candidates = [new Candidate(0, null, null, root, null)];
                    break;
                case JsonValueKind.Array:
                    var count = root.GetArrayLength();
                    if (count > MaxBatchSize)
                    {
                        return IngestionResult.Failed($"the batch has {count} events; the maximum is {MaxBatchSize}");
                    }
                    candidates = root.EnumerateArray().Select((element, index) => new Candidate(index, null, null, element, null)).ToList();
                    break;
                default:
                    return IngestionResult.Failed("expected a CloudEvent object or an array of CloudEvents");
            }

            return IngestionResult.From(Process(tenant, candidates, rules));
        }
    }

    /// <summary>
    /// Ingests a JSON Lines file: one CloudEvent per line, blank lines skipped. A line that is not valid JSON is a
    /// rejection with its line number, never an exception. Results carry the line in <see cref="EventResult.Line"/>;
    /// stored rejection reasons are prefixed "line N: " so an operator can find the line later. Lines are processed in chunks of
    /// <see cref="MaxBatchSize"/>, each chunk in its own transaction; re-reading a file after a failure is safe
    /// because already-stored events come back as duplicates.
    /// </summary>
    /// <param name="listAccepted">
    /// False: <see cref="IngestionResult.Events"/> lists only the rejected and duplicate events (the counts still cover
    /// all), for a caller that reads nothing else and ingests millions of events (a dry run).
    /// </param>
    public IngestionResult IngestJsonLines(string tenant, TextReader reader, CompiledRuleSet rules, bool listAccepted = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(rules);

        var results = new List<EventResult>();
        var accepted = 0;
        var chunk = new List<Candidate>();
        var documents = new List<JsonDocument>();
        var lineNumber = 0;
        var index = 0;
        try
        {
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                try
                {
                    var document = JsonDocument.Parse(line, CloudEventReader.JsonOptions);
                    documents.Add(document);
                    chunk.Add(new Candidate(index++, lineNumber, line, document.RootElement, null));
                }
                catch (Exception e) when (e is JsonException or ArgumentException)
                {
                    chunk.Add(new Candidate(index++, lineNumber, line, null, JsonErrorText.Reason(e)) { Column = JsonErrorText.Column(e) });
                }

                if (chunk.Count == MaxBatchSize) Flush();
            }
            Flush();
        }
        finally
        {
            foreach (var document in documents) document.Dispose();
        }
        return listAccepted ? IngestionResult.From(results) : IngestionResult.From(results) with { Accepted = accepted };

        void Flush()
        {
            if (chunk.Count == 0) return;
            foreach (var result in Process(tenant, chunk, rules))
            {
                if (result.Status == EventStatus.Accepted)
                {
                    accepted++;
                    if (!listAccepted) continue;
                }
                results.Add(result);
            }
            chunk.Clear();
            foreach (var document in documents) document.Dispose();
            documents.Clear();
        }
    }

    /// <summary>
    /// Re-validates every stored rejection of <paramref name="tenant"/> against <paramref name="rules"/> in one
    /// transaction. Those that now pass are appended (dedup still applies: an event stored meanwhile comes back as
    /// <see cref="EventStatus.Duplicate"/>) and removed from the rejections; the rest stay with the new reason and
    /// one more attempt. Results follow the store's rejection order (rejected time, then rejection id).
    /// </summary>
    public IngestionResult Replay(string tenant, CompiledRuleSet rules)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentNullException.ThrowIfNull(rules);
        var storedAt = _time.GetUtcNow().ToUniversalTime();
        var appended = new List<StoredEvent>();

        var replayed = _store.InTransaction(store =>
        {
            var rejected = store.ReadRejected(tenant);
            var results = new EventResult[rejected.Count];
            var passing = new List<(int Index, StoredEvent Event)>();
            for (var i = 0; i < rejected.Count; i++)
            {
                var r = rejected[i];
                var (stored, reading) = Revalidate(tenant, r.RawJson, rules, storedAt);
                if (stored is not null)
                {
                    passing.Add((i, stored));
                    store.RemoveRejected(tenant, r.RejectionId);
                    continue;
                }
                store.AddRejected(r with { Reason = reading.Error!, Attempts = r.Attempts + 1 });
                results[i] = new EventResult(i, null, reading.Source, reading.Id, EventStatus.Rejected, reading.Error);
            }

            var statuses = store.AppendEvents(passing.Select(p => p.Event).ToList());
            for (var n = 0; n < passing.Count; n++)
            {
                var (i, e) = passing[n];
                results[i] = new EventResult(i, null, e.Source, e.Id, ToEventStatus(statuses[n]), null);
                if (statuses[n] == AppendStatus.Accepted) appended.Add(e);
            }
            StoredOutcomes.Apply(store, tenant, rules, appended);
            return IngestionResult.From(results);
        });
        return replayed;
    }

    private IReadOnlyList<EventResult> Process(string tenant, IReadOnlyList<Candidate> candidates, CompiledRuleSet rules)
    {
        var now = _time.GetUtcNow().ToUniversalTime();
        var results = new EventResult[candidates.Count];
        var accepted = new List<(int Position, StoredEvent Event)>();
        var rejections = new List<RejectedEvent>();

        for (var position = 0; position < candidates.Count; position++)
        {
            var c = candidates[position];
            var reading = c.Element is { } element
                ? CloudEventReader.Read(element, rules)
                : new CloudEventReader.Reading(null, null, null, null, c.ParseError);
            if (reading.Event is { } e)
            {
                accepted.Add((position, ToStored(tenant, e, now)));
                continue;
            }

            var reason = c.Line is { } line ? $"line {line}: {reading.Error}" : reading.Error!;
            // Only a rejection keeps its raw text, so a batch element's copy is made here, not for every event.
            var raw = c.Raw ?? c.Element!.Value.GetRawText();
            rejections.Add(new RejectedEvent(tenant, RejectionId(raw), reading.Source, reading.Id, reading.Type, raw, reason, now, 1));
            results[position] = new EventResult(c.Index, c.Line, reading.Source, reading.Id, EventStatus.Rejected, reading.Error) { Column = c.Column };
        }

        // Binding and placement depend on the event and the rules only: done here, before the store's writer is taken.
        var events = accepted.Select(a => a.Event).ToList();
        var arrivals = events.Select(e => OutcomeArrival.Of(rules, e)).ToList();
        // So are the detection and encoding of the key groups these events start (most keys are new).
        var prepared = PreparedGroups.Of(rules, tenant, arrivals);
        Func<IBillingStore, IReadOnlyList<AppendStatus>> append = store =>
        {
            foreach (var rejection in rejections) store.AddRejected(rejection);
            var appended = store.AppendEvents(events);
            StoredOutcomes.Apply(store, tenant, rules, arrivals.Where((_, n) => appended[n] == AppendStatus.Accepted).ToList(), prepared);
            return appended;
        };
        var statuses = _combiner is { } combiner ? combiner.Run(append) : _store.InTransaction(append);
        for (var n = 0; n < accepted.Count; n++)
        {
            var (position, e) = accepted[n];
            var c = candidates[position];
            results[position] = new EventResult(c.Index, c.Line, e.Source, e.Id, ToEventStatus(statuses[n]), null);
        }
        return results;
    }

    /// <summary>Parses and validates a stored rejection's raw JSON, converting inside the document's lifetime.</summary>
    private static (StoredEvent? Event, CloudEventReader.Reading Reading) Revalidate(
        string tenant, string rawJson, CompiledRuleSet rules, DateTimeOffset storedAt)
    {
        try
        {
            using var document = JsonDocument.Parse(rawJson, CloudEventReader.JsonOptions);
            var reading = CloudEventReader.Read(document.RootElement, rules);
            return (reading.Event is { } e ? ToStored(tenant, e, storedAt) : null, reading);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return (null, new CloudEventReader.Reading(null, null, null, null, JsonErrorText.Reason(e)));
        }
    }

    private static StoredEvent ToStored(string tenant, CloudEvent e, DateTimeOffset storedAt) =>
        new(tenant, e.Source, e.Id, e.Type, e.Subject, e.Time, storedAt, 0, e.Data?.GetRawText() ?? "null") { Fields = e.Fields, Extensions = e.Extensions };

    private static EventStatus ToEventStatus(AppendStatus status) =>
        status == AppendStatus.Accepted ? EventStatus.Accepted : EventStatus.Duplicate;

    /// <summary>Derived from the raw JSON so the same bad event is stored once however often it is sent.</summary>
    private static string RejectionId(string raw) =>
        "rej-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)))[..32];

    /// <summary>
    /// One input event: its position, its JSON Lines line, its raw text (the line; null for a batch element, whose
    /// text is taken from the element if it is rejected), and the parsed element or why it did not parse.
    /// </summary>
    private sealed record Candidate(int Index, int? Line, string? Raw, JsonElement? Element, string? ParseError)
    {
        /// <summary>Where on its line a JSON Lines event failed to parse (1-based), when it did.</summary>
        public int? Column { get; init; }
    }
}
