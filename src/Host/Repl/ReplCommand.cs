using System.CommandLine;

namespace RulesBilling.Host.Repl;

/// <summary><c>rulesbilling repl [--rules file]</c>: the interactive rule workbench.</summary>
internal static class ReplCommand
{
    public static Command Create(TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var rules = new Option<string[]>("--rules") { Description = "Rule files or folders to load at start.", AllowMultipleArgumentsPerToken = true };
        var allowScripts = Cli.ScriptSwitch.Create();
        var command = new Command("repl", "Try rules interactively: load, evaluate expressions, feed events, read the running invoice.") { rules, allowScripts };
        command.SetAction(parsed =>
        {
            var session = new ReplSession(stdout, TimeProvider.System, Cli.ScriptSwitch.Options(parsed.GetValue(allowScripts)));
            if (parsed.GetValue(rules) is { Length: > 0 } paths) session.Execute(":load " + string.Join(" ", paths));
            return session.Run(stdin, interactive: !Console.IsInputRedirected && ReferenceEquals(stdin, Console.In));
        });
        return command;
    }
}
