using System.Globalization;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Accounting;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;
using RulesBilling.Engine.Tests.Billing;

namespace RulesBilling.Engine.Tests.Accounting;

/// <summary>
/// The pricing-rules samples ingested into a real in-memory store and billed by the real engine on a hand-moved
/// clock; the journal and schedules are read back from the stores as the CLI and the API read them.
/// </summary>
internal sealed class SampleBooks : IDisposable
{
    public const string Tenant = "t1";

    public SampleBooks(string sample, string now)
    {
        Rules = RuleSetCompiler.CompilePaths([Path.Combine(RepoRoot, "pricing-rules")]).RuleSet!;
        Clock = new TestClock(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture));
        var result = new EventIngestor(Store, Clock).IngestJsonLines(Tenant,
            new StringReader(File.ReadAllText(Path.Combine(RepoRoot, "pricing-rules", "samples", sample))), Rules);
        if (!result.Succeeded) throw new InvalidOperationException("the sample did not ingest");
        Engine = new UseCases(Store, new FixedRuleSet(Rules), Clock);
        Payments = new InMemoryPaymentStore(Store);
    }

    public CompiledRuleSet Rules { get; }

    public TestClock Clock { get; }

    public InMemoryBillingStore Store { get; } = new();

    public InMemoryPaymentStore Payments { get; }

    public UseCases Engine { get; }

    public void At(string now) => Clock.Now = DateTimeOffset.Parse(now, CultureInfo.InvariantCulture);

    public void Ingest(string json)
    {
        var result = new EventIngestor(Store, Clock).Ingest(Tenant, json, Rules);
        if (!result.Succeeded || result.Accepted != 1) throw new InvalidOperationException("the event was not accepted");
    }

    public JournalInput Input() => JournalSource.Read(Store, Payments, Tenant, Rules);

    public IReadOnlyList<JournalEntry> Journal() => JournalBuilder.Build(Input(), Clock.Now);

    public IReadOnlyList<RevenueScheduleEntry> Schedule(string documentId)
    {
        var input = Input();
        var document = input.Documents.Single(d => d.Id == documentId);
        var related = input.Documents.Where(d => (d.Corrects ?? d.Id) == (document.Corrects ?? document.Id)).ToList();
        return RevenueScheduler.Schedule(document, input.Timeline, related);
    }

    public void Dispose()
    {
        Store.Dispose();
    }

    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "RulesBilling.sln"))) dir = dir.Parent;
        return dir.FullName;
    }
}
