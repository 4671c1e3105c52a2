using System.Text.Json.Nodes;
using RulesBilling.Engine.Tests.Payments.Fakes;
using RulesBilling.Host.Tests.Cli;

namespace RulesBilling.Host.Tests.Payments;

/// <summary>
/// <c>rulesbilling sync</c> and <c>reconcile</c> as child processes on a LiteDB file that a real server (with its
/// sync off) filled through the API, against the fake providers.
/// </summary>
public sealed class PaymentCliTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "rb-payhost-cli", Guid.NewGuid().ToString("N"));

    public PaymentCliTests() => Directory.CreateDirectory(_folder);

    private string Database => Path.Combine(_folder, "billing.db");

    /// <summary>Finalizes a USD invoice for Stripe and a JPY one for Razorpay with the server's worker off, then stops the server.</summary>
    private async Task<PaymentWorld> QueuedAsync()
    {
        var world = await PaymentWorld.StartAsync(o => o with { DatabasePath = Database, Payments = o.Payments with { SyncInterval = TimeSpan.Zero } });
        await world.FinalizeAsync("cust-1", "stripe");
        await world.FinalizeAsync("jp-1", "razorpay");
        await world.Server.DisposeAsync();
        return world;
    }

    private CliProcess.Result Run(params string[] args) => CliProcess.Run(_folder, args);

    [Fact]
    public async Task Sync_once_pushes_the_queued_invoices_and_a_second_pass_finds_nothing()
    {
        await using var world = await QueuedAsync();

        var first = Run("sync", "--db", Database, "--once");
        var second = Run("sync", "--db", Database, "--once");

        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        var lines = first.Stdout.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("pushed      acme/INV-000001 to stripe as in_", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("pushed      acme/INV-000002 to razorpay as inv_", lines[1], StringComparison.Ordinal);
        Assert.Equal("2 processed: 2 done", lines[2]);
        Assert.Equal((0, "nothing to send\n"), (second.ExitCode, second.Stdout));
        Assert.Equal([("usd", 400L)], world.Stripe.Invoices.Select(i => (i.Currency, i.Total)));
        var razorpay = Assert.Single(world.Razorpay.Invoices);
        Assert.Equal((300L, "JPY", "issued"), (razorpay["amount"]!.GetValue<long>(), razorpay["currency"]!.GetValue<string>(), razorpay["status"]!.GetValue<string>()));
        Assert.All(PaymentWorld.Secrets, s => Assert.DoesNotContain(s, first.Stdout + first.Stderr, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_once_dead_letters_a_record_whose_provider_keeps_failing_and_exits_1()
    {
        await using var world = await QueuedAsync();
        world.Stripe.Faults.Enqueue(Fault.ServerErrorBefore);
        world.Stripe.Faults.Enqueue(Fault.ServerErrorBefore);

        var result = Run("sync", "--db", Database, "--once", "--retries", "1");

        Assert.True(result.ExitCode == 1, result.Stdout + result.Stderr);
        var lines = result.Stdout.TrimEnd().Split('\n');
        Assert.StartsWith("dead-letter acme/INV-000001 push to stripe at step customer after 2 attempts: Stripe 500", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("pushed      acme/INV-000002 to razorpay", lines[1], StringComparison.Ordinal);
        Assert.Equal("2 processed: 1 done, 1 dead-lettered", lines[2]);
        Assert.Empty(world.Stripe.Invoices);
    }

    [Fact]
    public async Task Reconcile_reports_no_difference_then_a_total_mismatch_status_drift_and_missing_invoice()
    {
        await using var world = await QueuedAsync();
        Assert.Equal(0, Run("sync", "--db", Database, "--once").ExitCode);

        var clean = Run("reconcile", "--db", Database, "--format", "json");
        var cleanTable = Run("reconcile", "--db", Database);
        var stripeInvoice = Assert.Single(world.Stripe.Invoices);
        world.Stripe.Tamper(stripeInvoice.Id, i => i.Lines.Add(new FakeStripeLine("il_x", "ii_x", 1, "extra", [])));
        var razorpayInvoice = Assert.Single(world.Razorpay.Invoices);
        world.Razorpay.Tamper(razorpayInvoice["id"]!.GetValue<string>(), i => i["status"] = "cancelled");
        var drifted = Run("reconcile", "--db", Database, "--format", "json");
        var table = Run("reconcile", "--db", Database, "--format", "table");

        Assert.True(clean.ExitCode == 0, clean.Stdout + clean.Stderr);
        Assert.Equal("{\"checked\":2,\"differences\":[]}", JsonNode.Parse(clean.Stdout)!.ToJsonString());
        Assert.Equal((0, "no differences: 2 pushed invoices checked\n"), (cleanTable.ExitCode, cleanTable.Stdout));
        Assert.Equal(1, drifted.ExitCode);
        var differences = JsonNode.Parse(drifted.Stdout)!["differences"]!.AsArray();
        Assert.Equal([("INV-000001", "stripe", "totalMismatch"), ("INV-000002", "razorpay", "statusDrift")],
            differences.Select(d => (d!["invoiceNumber"]!.GetValue<string>(), d["provider"]!.GetValue<string>(), d["kind"]!.GetValue<string>())));
        Assert.Contains("ours 400, Stripe 401", differences[0]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, table.ExitCode);
        Assert.Contains("totalMismatch", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("statusDrift", table.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("2 differences in 2 pushed invoices\n", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Sync_and_reconcile_refuse_a_missing_database_in_one_line()
    {
        var sync = Run("sync", "--db", Path.Combine(_folder, "none.db"), "--once");
        var reconcile = Run("reconcile", "--db", Path.Combine(_folder, "none.db"), "--format", "xml");

        Assert.Equal((2, ""), (sync.ExitCode, sync.Stdout));
        Assert.Equal($"rulesbilling: no database at '{Path.Combine(_folder, "none.db")}'\n", sync.Stderr);
        Assert.Equal(2, reconcile.ExitCode);
        Assert.StartsWith("rulesbilling: Argument 'xml' not recognized", reconcile.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_refuses_a_negative_sync_interval_and_sync_a_retry_count_of_zero()
    {
        var serve = Run("serve", "--db", Database, "--sync-interval", "-1");
        var sync = Run("sync", "--db", Database, "--retries", "0");

        Assert.Equal((2, "rulesbilling: --sync-interval must be between 0 and 86400 seconds (run 'rulesbilling help serve')\n"), (serve.ExitCode, serve.Stderr));
        Assert.Equal((2, "rulesbilling: --retries must be between 1 and 20 (run 'rulesbilling help sync')\n"), (sync.ExitCode, sync.Stderr));
        Assert.False(File.Exists(Database));
    }

    [Fact]
    public void Serve_refuses_a_dunning_schedule_it_cannot_read_with_the_reason()
    {
        var serve = Run("serve", "--db", Database, "--dunning", "due=30;overdue=7,3");

        Assert.Equal((2, "rulesbilling: --dunning: overdue: days must increase (7 then 3) (run 'rulesbilling help serve')\n"), (serve.ExitCode, serve.Stderr));
        Assert.False(File.Exists(Database));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
