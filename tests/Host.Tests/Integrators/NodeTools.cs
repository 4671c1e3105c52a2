using System.Diagnostics;
using RulesBilling.Engine.Tests.Storage;
using System.Security.Cryptography;
using System.Text;

namespace RulesBilling.Host.Tests.Integrators;

/// <summary>
/// The npm tools the integrator tests run (Redocly's linter, openapi-typescript, the TypeScript compiler and
/// openapi-fetch), installed from the npm registry once per machine into a folder named by the pinned versions, under
/// a machine-wide lock, so parallel test processes and later runs share one install (as PrivatePostgresServer does).
/// </summary>
internal static class NodeTools
{
    /// <summary>Pinned so a lint or generation result does not change under us between runs.</summary>
    public static readonly IReadOnlyDictionary<string, string> Packages = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["@redocly/cli"] = "2.77.0",
        ["openapi-typescript"] = "7.13.0",
        ["openapi-fetch"] = "0.17.0",
        ["typescript"] = "5.9.3",
        ["@types/node"] = "20.19.25",
    };

    private static readonly Lazy<string> Folder = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder holding node_modules with every package above.</summary>
    public static string Root => Folder.Value;

    public static string Bin(string name) => Path.Combine(Root, "node_modules", ".bin", name);

    /// <summary>Runs a program and returns its exit code and combined output; fails the test when it does not end in 5 minutes.</summary>
    public static (int ExitCode, string Output) Run(string program, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{program} {string.Join(' ', arguments)}` did not finish in 5 minutes");
        }
        return (process.ExitCode, output.Result + error.Result);
    }

    private static string Install()
    {
        var spec = string.Join(",", Packages.Select(p => p.Key + "@" + p.Value));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(spec)))[..16];
        var folder = Path.Combine(Path.GetTempPath(), "rulesbilling-node-tools", hash);
        var done = Path.Combine(folder, ".installed");
        if (File.Exists(done)) return folder;
        using (MachineLock.Take("rulesbilling-node-tools-" + hash))
        {
            // Another test process may have installed them while this one waited for the lock.
            if (File.Exists(done)) return folder;
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "package.json"), "{\"name\":\"rulesbilling-node-tools\",\"private\":true}");
            var arguments = new List<string> { "install", "--no-audit", "--no-fund", "--save-exact" };
            arguments.AddRange(Packages.Select(p => p.Key + "@" + p.Value));
            var (exit, output) = Run("npm", folder, null, [.. arguments]);
            if (exit != 0) throw new InvalidOperationException($"npm install failed ({exit}): {Tail(output)}");
            File.WriteAllText(done, spec);
        }
        return folder;
    }

    public static string Tail(string text) => text.Length <= 4000 ? text.Trim() : "..." + text[^4000..].Trim();
}
