using RulesBilling.Host.Tests.Cli;

namespace RulesBilling.Host.Tests.Integrators;

/// <summary>
/// <c>rulesbilling</c> as a .NET tool: the Host project packed (from the build the tests run on) into a local nupkg,
/// installed with <c>dotnet tool install --tool-path</c> from that package alone, and run.
/// </summary>
public sealed class DotnetToolTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("rb-tool-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public void The_packed_tool_installs_from_the_local_nupkg_and_runs_version_init_and_check()
    {
        var feed = Path.Combine(_work.FullName, "feed");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var host = Path.Combine(CliProcess.RepoRoot, "src", "Host", "RulesBilling.Host.csproj");
        var (packed, packOutput) = NodeTools.Run("dotnet", _work.FullName, null, "pack", host, "--no-build", "-c", configuration, "-o", feed, "-v", "q");
        Assert.True(packed == 0, "dotnet pack failed:\n" + NodeTools.Tail(packOutput));
        Assert.Single(Directory.GetFiles(feed, "RulesBilling.Cli.*.nupkg"));

        // Only the local feed: the install must not depend on the package being published anywhere.
        var config = Path.Combine(_work.FullName, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="local" value="{feed}" /></packageSources></configuration>
            """);
        var tools = Path.Combine(_work.FullName, "tools");
        var (installed, installOutput) = NodeTools.Run("dotnet", _work.FullName, null, "tool", "install", "RulesBilling.Cli", "--tool-path", tools, "--configfile", config);
        Assert.True(installed == 0, "dotnet tool install failed:\n" + NodeTools.Tail(installOutput));

        var rulesbilling = Path.Combine(tools, OperatingSystem.IsWindows() ? "rulesbilling.exe" : "rulesbilling");
        var (versionExit, version) = NodeTools.Run(rulesbilling, _work.FullName, null, "--version");
        Assert.Equal(0, versionExit);
        Assert.StartsWith("0.1.0", version.Trim(), StringComparison.Ordinal);

        Assert.Equal(0, NodeTools.Run(rulesbilling, _work.FullName, null, "init", "rules").ExitCode);
        var (checkExit, check) = NodeTools.Run(rulesbilling, _work.FullName, null, "check", "rules");
        Assert.True(checkExit == 0, check);
        Assert.Contains("billing.rules: ok", check, StringComparison.Ordinal);
    }
}
