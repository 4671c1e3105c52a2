using Spectre.Console;

namespace RulesBilling.Host.Cli;

internal static class Terminal
{
    /// <summary>A Spectre console over <paramref name="output"/>: colours only on a real terminal, a fixed width when redirected.</summary>
    public static IAnsiConsole For(TextWriter output)
    {
        var redirected = !ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected) console.Profile.Width = 140;
        return console;
    }
}
