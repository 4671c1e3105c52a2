using System.CommandLine;

namespace RulesBilling.Host.Repl;

/// <summary><c>rulesbilling repl [--rules file]</c>: the interactive rule workbench.</summary>
internal static class ReplCommand
{
    public static Command Create(TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var rules = new Option<string[]>("--rules") { Description = "Rule files or folders to load at start.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("repl", "Try rules interactively: load, evaluate expressions, feed events, read the running invoice.") { rules };
        command.SetAction(parsed =>
        {
            var session = new ReplSession(stdout, TimeProvider.System);
            if (parsed.GetValue(rules) is { Length: > 0 } paths) session.Execute(":load " + string.Join(" ", paths));
            return session.Run(stdin, interactive: !Console.IsInputRedirected && ReferenceEquals(stdin, Console.In));
        });
        return command;
    }
}
