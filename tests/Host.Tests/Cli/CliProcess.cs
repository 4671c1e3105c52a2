using System.Diagnostics;

namespace RulesBilling.Host.Tests.Cli;

/// <summary>Runs the real <c>rulesbilling</c> executable (the built Host assembly) as a child process.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static string RepoRoot { get; } = FindRepoRoot();

    public static Result Run(string workingDirectory, params string[] args) => RunWithInput(workingDirectory, null, args);

    public static Result RunWithInput(string workingDirectory, string? stdin, params string[] args) => RunCore(workingDirectory, stdin, null, args);

    /// <summary>Runs with extra environment variables (secrets a verb reads from the environment, never from its arguments).</summary>
    public static Result RunWithEnvironment(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunCore(workingDirectory, null, environment, args);

    private static Result RunCore(string workingDirectory, string? stdin, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rulesbilling.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rulesbilling {string.Join(' ', args)} did not finish");
        }
        return new Result(process.ExitCode, stdout.Result.Replace("\r\n", "\n"), stderr.Result.Replace("\r\n", "\n"));
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RulesBilling.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("RulesBilling.sln not found above the test folder");
    }
}
