using System.CommandLine;

namespace RulesBilling.Host.Cli;

/// <summary>
/// The <c>rulesbilling</c> command line. Every verb returns an exit code; a usage error or a failure prints
/// one readable line on stderr (never a stack trace) and exits non-zero.
/// </summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    /// <summary><c>simulate --compare</c> found a difference (0 means none).</summary>
    public const int Changes = 3;

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("RulesBilling: outcome-based billing for AI agents, with pricing rules as code.");
        foreach (var command in CliCommands.All(stdin, stdout, stderr))
        {
            root.Subcommands.Add(command);
        }
        root.Subcommands.Add(HelpCommand.Create(root, stdout, stderr));

        var parsed = root.Parse(args);
        if (UsageErrors.Describe(root, args, parsed) is { } usage)
        {
            stderr.WriteLine($"rulesbilling: {usage}");
            return UsageError;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            stderr.WriteLine($"rulesbilling: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // Environment failures (a file in use, a port taken, a locked database) are the user's to fix: say what, not where.
            stderr.WriteLine($"rulesbilling: {e.Message}");
            return Failed;
        }
    }
}

/// <summary>A failure the user can act on; printed as one line.</summary>
internal sealed class CliException(string message, int exitCode = CliApp.Failed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
