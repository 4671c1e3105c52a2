using System.Diagnostics;
using RulesBilling.Engine.Tests.Storage;

namespace RulesBilling.Host.Tests.Portal;

/// <summary>
/// The programs the portal tests drive (chromium, chromedriver, pdftotext): found on the PATH, else installed from
/// Debian's packages as root, under a machine-wide lock so parallel test processes install once (as the PostgreSQL
/// test server does). Without root and without the program the test fails, naming the package to install.
/// </summary>
internal static class DebianPackages
{
    private static readonly object Gate = new();

    public static string Require(string program, string package)
    {
        lock (Gate)
        {
            if (Find(program) is { } found) return found;
            if (Environment.UserName != "root")
                throw new InvalidOperationException($"'{program}' is missing and installing it needs root: apt-get install {package}");
            using (MachineLock.Take("rulesbilling-test-browser-install"))
            {
                if (Find(program) is { } installed) return installed;
                var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
                Run("apt-get", ["update", "-qq"], environment);
                Run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", package], environment);
            }
            return Find(program) ?? throw new InvalidOperationException($"'{program}' is still missing after apt-get install {package}.");
        }
    }

    public static (int ExitCode, string Output) Run(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`{program} {string.Join(' ', arguments)}` exited with {process.ExitCode}: {error.Result}{output.Result}");
        return (process.ExitCode, output.Result);
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
}
