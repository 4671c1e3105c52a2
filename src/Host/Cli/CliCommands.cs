using System.CommandLine;

namespace RulesBilling.Host.Cli;

internal static class CliCommands
{
    public static IEnumerable<Command> All(TextWriter stdout, TextWriter stderr)
    {
        yield return CheckCommand.Create(stdout, stderr);
        yield return SimulateCommand.Create(stdout, stderr);
    }
}
