using RulesBilling.Engine.Accounting;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Tests.Payments;
using RulesBilling.Engine.Tests.Payments.Fakes;

namespace RulesBilling.Engine.Tests.Accounting;

/// <summary>
/// Issue 17: the journal pushed to the in-repo QuickBooks Online fake (its wire format: bearer token, requestid
/// idempotency, Fault bodies) — every entry exactly once under injected faults and restarts, refusals stopped for a person.
/// </summary>
public sealed class QuickBooksPushTests : IDisposable
{
    private const string T = SampleBooks.Tenant;
    private const string Realm = "9130357766900001";
    private const string Token = "eyJ.qbo-access-token.test";

    // The client's timeout is what turns the fake's delayed answer into a timeout fault. It must also leave an ordinary
    // answer time on a loaded CI machine: at 400 ms a slow first answer timed out and was retried (attempts 2, seen in CI).
    private readonly FakeQuickBooks _quickBooks = new(Realm, Token) { TimeoutDelay = TimeSpan.FromSeconds(5) };
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly InMemoryJournalPushStore _store = new();

    public QuickBooksPushTests() => _store.SaveAccount(new QuickBooksAccount(T, Realm, Token, _quickBooks.BaseUrl));

    /// <summary>The January books of the prepaid-credits example (docs/accounting.md): 1 purchase, 31 recognition days, 1 invoice.</summary>
    private static IReadOnlyList<JournalEntry> Books()
    {
        using var books = new SampleBooks("support_agent.jsonl", "2026-01-01T00:00:00Z");
        books.Engine.GrantCredits(T, "acme-retail", 50m, "USD", grantId: "g-prepaid");
        books.At("2026-02-02T00:00:00Z");
        books.Engine.Finalize(T, "acme-retail", DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        return books.Journal();
    }

    private JournalPusher Pusher(RetryOptions? retry = null) => new(_store, _http, TimeProvider.System, retry ?? PaymentHarness.FastRetries);

    [Fact]
    public async Task Every_entry_reaches_QuickBooks_once_balanced_with_its_customer_and_a_second_push_sends_nothing()
    {
        var journal = Books();

        var first = await Pusher().PushAsync(T, journal);
        var second = await Pusher().PushAsync(T, journal);

        Assert.Equal(journal.Count, first.Count(JournalPushStatus.Done));
        Assert.Empty(second.Records);
        var remote = _quickBooks.JournalEntries;
        Assert.Equal(journal.Count, remote.Count);
        Assert.Equal(journal.Select(QuickBooksJournal.DocNumber).Order(StringComparer.Ordinal), remote.Select(e => e["DocNumber"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var invoice = remote.Single(e => e["PrivateNote"]!.GetValue<string>().StartsWith("invoice INV-000001 issued", StringComparison.Ordinal));
        Assert.Equal("2026-02-01", invoice["TxnDate"]!.GetValue<string>());
        Assert.All(_quickBooks.Log, r => Assert.Equal("Bearer " + Token, r.Header("authorization")));
        Assert.All(_store.List(T), r => Assert.Equal(r.EntryId, r.RequestId));
    }

    [Fact]
    public async Task Injected_faults_before_and_after_QuickBooks_commits_still_leave_exactly_one_remote_entry_per_journal_entry()
    {
        var journal = Books();
        foreach (var fault in new[] { Fault.ServerErrorBefore, Fault.RateLimited, Fault.DropAfterCommit, Fault.ServerErrorAfterCommit, Fault.TimeoutAfterCommit, Fault.DropBefore })
            _quickBooks.Faults.Enqueue(fault);

        var result = await Pusher().PushAsync(T, journal);

        Assert.Equal(journal.Count, result.Count(JournalPushStatus.Done));
        Assert.Equal(journal.Count, _quickBooks.JournalEntries.Count);
        Assert.Contains(_store.List(T), r => r.Attempts > 1);
    }

    [Fact]
    public async Task A_push_stopped_after_QuickBooks_committed_resumes_after_a_restart_under_the_same_request_id()
    {
        var journal = Books();
        // The connection drops after every commit of the first entry: retries exhausted, the push dead-letters it.
        var firstId = journal[0].Id;
        _quickBooks.FaultFilter = r => r.QueryValue("requestid") == firstId;
        for (var i = 0; i < 3; i++) _quickBooks.Faults.Enqueue(Fault.DropAfterCommit);

        var crashed = await Pusher(new RetryOptions(2, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2))).PushAsync(T, journal);
        var afterCrash = _quickBooks.JournalEntries.Count;
        var resumed = await Pusher().PushAsync(T, journal);

        Assert.Equal(JournalPushStatus.DeadLetter, crashed.Records.Single(r => r.EntryId == firstId).Status);
        Assert.Equal(journal.Count, afterCrash);
        Assert.Equal([firstId], resumed.Records.Select(r => r.EntryId));
        Assert.Equal(JournalPushStatus.Done, resumed.Records[0].Status);
        Assert.Equal(journal.Count, _quickBooks.JournalEntries.Count);
    }

    [Fact]
    public async Task A_wrong_token_stops_for_a_person_with_the_Fault_and_a_requeue_after_the_fix_pushes_once()
    {
        var journal = Books().Take(2).ToList();
        _store.SaveAccount(new QuickBooksAccount(T, Realm, "expired-token", _quickBooks.BaseUrl));

        var refused = await Pusher().PushAsync(T, journal);
        var skipped = await Pusher().PushAsync(T, journal);
        _store.SaveAccount(new QuickBooksAccount(T, Realm, Token, _quickBooks.BaseUrl));
        foreach (var entry in journal) Pusher().Requeue(T, entry.Id);
        var fixedPush = await Pusher().PushAsync(T, journal);

        Assert.All(refused.Records, r => Assert.Equal(JournalPushStatus.NeedsHuman, r.Status));
        Assert.StartsWith("QuickBooks 401 AuthenticationFault 3200", refused.Records[0].LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("expired-token", refused.Records[0].LastError, StringComparison.Ordinal);
        Assert.Empty(skipped.Records);
        Assert.Equal(2, fixedPush.Count(JournalPushStatus.Done));
        Assert.Equal(2, _quickBooks.JournalEntries.Count);
    }

    [Fact]
    public async Task An_unbalanced_entry_is_refused_by_QuickBooks_validation_and_never_retried()
    {
        var unbalanced = new JournalEntry("je_unbalanced", new DateOnly(2026, 2, 1), JournalEntryKind.Invoice, T, "acme-retail", "USD", null, null, "hand-made",
            [new JournalLine(LedgerAccounts.Cash, 10m, 0m, "cash", null), new JournalLine(LedgerAccounts.Revenue, 0m, 9.99m, "revenue", null)]);

        var result = await Pusher().PushAsync(T, [unbalanced]);

        var record = Assert.Single(result.Records);
        Assert.Equal((JournalPushStatus.NeedsHuman, 1), (record.Status, record.Attempts));
        Assert.Contains("ValidationFault 6000", record.LastError, StringComparison.Ordinal);
        Assert.Contains("debits and credits must be equal", record.LastError, StringComparison.Ordinal);
        Assert.Single(_quickBooks.Log);
        Assert.Empty(_quickBooks.JournalEntries);
    }

    public void Dispose()
    {
        _http.Dispose();
        _quickBooks.Dispose();
    }
}
