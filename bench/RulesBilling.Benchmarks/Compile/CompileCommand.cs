using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RulesBilling.Benchmarks.Workload;
using RulesBilling.Dsl.Compilation;

namespace RulesBilling.Benchmarks.Compile;

/// <summary>
/// <c>compile</c>: check+compile time of each rule file, cold (the first compile in a fresh process, JIT included)
/// and warm (median of later compiles in that process), plus the same for the benchmark rule written as C# script
/// rules (<see cref="BenchScriptRules"/>: three scripts). Script rules are timed twice: "script" compiles the same text
/// again, which the compiler's script cache serves; "script-new" changes every script's text on each compile, so every
/// warm compile runs Roslyn. Each target runs in its own child process so that "cold" really is cold.
/// </summary>
internal static class CompileCommand
{
    private const int WarmRuns = 15;
    private const string Script = "script";
    private const string NewScript = "script-new";

    public static int Run(string folder)
    {
        var files = Directory.EnumerateFiles(folder, "*.rules", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine($"no *.rules files in '{folder}'");
            return 1;
        }

        Console.WriteLine("| rule file | bytes | cold (first in process) | warm (median of 15) | diagnostics |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        var failed = false;
        foreach (var target in files.Append(folder).Append(Script).Append(NewScript))
        {
            var result = Child(target);
            failed |= result.Errors > 0;
            var name = target == Script ? "C# script rules (3 scripts), same text: script cache hit when warm"
                : target == NewScript ? "C# script rules (3 scripts), new text on every compile"
                : target == folder ? $"{folder} (all files, one rule set)" : Path.GetRelativePath(folder, target);
            Console.WriteLine(FormattableString.Invariant(
                $"| {name} | {result.Bytes:N0} | {result.ColdMs:0.0} ms | {result.WarmMs:0.00} ms | {(result.Errors == 0 ? "ok" : result.Errors + " error(s)")} |"));
        }
        return failed ? 1 : 0;
    }

    private static CompileResult Child(string target)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(CompileCommand).Assembly.Location, "compile-run", target },
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"compile-run {target} exited with {process.ExitCode}: {output}");
        return JsonSerializer.Deserialize<CompileResult>(line["RESULT ".Length..])!;
    }

    /// <summary>The child side: times the first compile, then <see cref="WarmRuns"/> more, and prints one RESULT line.</summary>
    public static int RunOne(string target)
    {
        var salt = 0;
        Func<int> compile = target == Script ? () => Errors(BenchScriptRules.Compile())
            : target == NewScript ? () => Errors(BenchScriptRules.Compile("run " + salt++))
            : () => RuleSetCompiler.CompilePaths([target]).Diagnostics.Count(d => d.Severity == Dsl.Diagnostics.DiagnosticSeverity.Error);

        var watch = Stopwatch.StartNew();
        var errors = compile();
        var cold = watch.Elapsed.TotalMilliseconds;
        var warm = new double[WarmRuns];
        for (var i = 0; i < WarmRuns; i++)
        {
            watch.Restart();
            compile();
            warm[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(warm);
        var bytes = target is Script or NewScript ? BenchScriptRules.Text().Length
            : File.Exists(target) ? new FileInfo(target).Length
            : Directory.EnumerateFiles(target, "*.rules", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(new CompileResult(bytes, cold, warm[WarmRuns / 2], errors)));
        return 0;
    }

    private static int Errors(RuleSetCompilation compilation) =>
        compilation.Diagnostics.Count(d => d.Severity == Dsl.Diagnostics.DiagnosticSeverity.Error);

    internal sealed record CompileResult(long Bytes, double ColdMs, double WarmMs, int Errors);
}
