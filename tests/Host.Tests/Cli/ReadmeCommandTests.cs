using System.Diagnostics;

namespace RulesBilling.Host.Tests.Cli;

/// <summary>The README's main job, run the way the README writes it: <c>dotnet run --project src/Host -- …</c> from the repository root.</summary>
public sealed class ReadmeCommandTests : IDisposable
{
    private readonly string _db = Path.Combine(Path.GetTempPath(), "rb-readme-" + Guid.NewGuid().ToString("N"), "billing.db");

    public void Dispose()
    {
        var folder = Path.GetDirectoryName(_db)!;
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task The_main_job_runs_through_dotnet_run_with_paths_relative_to_the_repository_root()
    {
        // --no-build: the test build has already built src/Host in this configuration.
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = CliProcess.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "run", "--no-build", "-c", Configuration, "--project", "src/Host", "--",
            "simulate", "--rules", "pricing-rules", "--events", "pricing-rules/samples/support_agent.jsonl", "--db", _db, "--format", "json",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);

        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Contains("\"customer\": \"acme-retail\"", await stdout);
        Assert.True(File.Exists(_db), "the events went through the embedded LiteDB store");
    }

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
}
