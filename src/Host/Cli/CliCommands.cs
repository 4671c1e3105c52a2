using System.CommandLine;
using RulesBilling.Host.Api;
using RulesBilling.Host.Repl;

namespace RulesBilling.Host.Cli;

internal static class CliCommands
{
    public static IEnumerable<Command> All(TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        yield return CheckCommand.Create(stdout, stderr);
        yield return SimulateCommand.Create(stdout, stderr);
        yield return ExplainCommand.Create(stdout, stderr);
        yield return EntitlementsCommand.Create(stdout, stderr);
        yield return ServeCommand.Create(stdout, stderr);
        yield return ReplCommand.Create(stdin, stdout, stderr);
        yield return StorageCommands.Migrate(stdout, stderr);
        yield return StorageCommands.Import(stdout, stderr);
        yield return PaymentCommands.Sync(stdout);
        yield return PaymentCommands.Reconcile(stdout);
        yield return JournalCommand.Create(stdout, stderr);
        yield return InitCommand.Create(stdout);
    }
}
