using RulesBilling.Host.Cli;

namespace RulesBilling.Host;

internal static class Program
{
    public static int Main(string[] args) => CliApp.Run(args, Console.In, Console.Out, Console.Error);
}
