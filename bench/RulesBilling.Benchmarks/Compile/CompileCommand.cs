using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RulesBilling.Benchmarks.RuleEvaluation;
using RulesBilling.Dsl.Compilation;

namespace RulesBilling.Benchmarks.Compile;

/// <summary>
/// <c>compile</c>: check+compile time of each rule file, cold (the first compile in a fresh process, JIT included)
/// and warm (median of later compiles in that process), plus the same for the benchmark's C# script rule.
/// Each file runs in its own child process so that "cold" really is cold.
/// </summary>
internal static class CompileCommand
{
    private const int WarmRuns = 15;

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
        foreach (var target in files.Append(folder).Append("script"))
        {
            var result = Child(target);
            failed |= result.Errors > 0;
            var name = target == "script" ? "C# script rule (Roslyn, 2 delegates)" : target == folder ? $"{folder} (all files, one rule set)" : Path.GetRelativePath(folder, target);
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
        Func<int> compile = target == "script"
            ? () =>
            {
                RuleEvaluationBenchmarks.CompileScript(0, 2, 3, 4);
                return 0;
            }
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
        var bytes = target == "script" ? 0
            : File.Exists(target) ? new FileInfo(target).Length
            : Directory.EnumerateFiles(target, "*.rules", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(new CompileResult(bytes, cold, warm[WarmRuns / 2], errors)));
        return 0;
    }

    internal sealed record CompileResult(long Bytes, double ColdMs, double WarmMs, int Errors);
}
