using System.CommandLine;

namespace RulesBilling.Host.Cli;

/// <summary><c>rulesbilling help [verb]</c>: the same text as <c>--help</c>, for the root or one verb.</summary>
internal static class HelpCommand
{
    public static Command Create(RootCommand root, TextWriter stdout, TextWriter stderr)
    {
        var verb = new Argument<string?>("command") { Description = "The command to explain; all commands when omitted.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("help", "Show the commands, or the options of one command.") { verb };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(verb);
            if (name is not null && !UsageErrors.Verbs(root).Contains(name, StringComparer.Ordinal))
            {
                throw new CliException($"help: unknown command '{name}'{UsageErrors.Suggest(name, UsageErrors.Verbs(root).ToList())} (run 'rulesbilling help')", CliApp.UsageError);
            }
            string[] args = name is null ? ["--help"] : [name, "--help"];
            return root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        });
        return command;
    }
}
