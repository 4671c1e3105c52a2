using System.CommandLine;
using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Host.Cli;

/// <summary>
/// <c>rulesbilling check &lt;files or folders&gt;</c>: checks the rule set they form. Valid: one summary line per
/// file, exit 0. Invalid: every diagnostic with its caret line, then a count, exit 1.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Rule files (*.rules) or folders of them; together they form one rule set.",
            Arity = ArgumentArity.OneOrMore,
        };
        var allowScripts = ScriptSwitch.Create();
        var command = new Command("check", "Check rule files and report every diagnostic.") { paths, allowScripts };
        command.SetAction(parse => Run(parse.GetValue(paths)!, ScriptSwitch.Options(parse.GetValue(allowScripts)), stdout, stderr));
        return command;
    }

    private static int Run(string[] paths, CompileOptions options, TextWriter stdout, TextWriter stderr)
    {
        var compilation = RuleSetCompiler.CompilePaths(paths, options);
        foreach (var diagnostic in compilation.Diagnostics)
        {
            (diagnostic.IsError ? stderr : stdout).WriteLine(diagnostic.Render());
        }

        var errors = compilation.Diagnostics.Count(d => d.IsError);
        if (errors > 0 || compilation.RuleSet is null)
        {
            var files = compilation.Diagnostics.Where(d => d.IsError).Select(d => d.Source.Path).Distinct().Count();
            stderr.WriteLine($"{errors} error{(errors == 1 ? "" : "s")} in {files} file{(files == 1 ? "" : "s")}");
            return CliApp.Failed;
        }

        foreach (var line in RuleSetSummary.PerFile(compilation.RuleSet, RuleFiles.Expand(paths)))
        {
            stdout.WriteLine(line);
        }
        return CliApp.Ok;
    }
}
