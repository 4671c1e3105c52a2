using System.CommandLine;

namespace RulesBilling.Host.Cli;

internal static class CliCommands
{
    public static IEnumerable<Command> All(TextWriter stdout, TextWriter stderr)
    {
        yield return StorageCommands.Migrate(stdout, stderr);
        yield return StorageCommands.Import(stdout, stderr);
    }
}
