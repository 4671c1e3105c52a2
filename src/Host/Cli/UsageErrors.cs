using System.CommandLine;
using System.CommandLine.Parsing;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Host.Cli;

/// <summary>
/// Turns a failed parse into the one line a person needs: the unknown verb or option with the closest known name
/// ("did you mean"), or the parser's own message, always pointing at <c>rulesbilling help [verb]</c>.
/// </summary>
internal static class UsageErrors
{
    public static string? Describe(RootCommand root, string[] args, ParseResult parsed)
    {
        var verbs = Verbs(root).ToList();
        if (args.Length == 0)
        {
            return $"name a command: {string.Join(", ", verbs)} (run 'rulesbilling help')";
        }
        if (!args[0].StartsWith('-') && !verbs.Contains(args[0], StringComparer.Ordinal))
        {
            var suggestion = Suggest(args[0], verbs);
            return $"unknown command '{args[0]}'{(suggestion.Length > 0 ? suggestion : $"; the commands are {string.Join(", ", verbs)}")} (run 'rulesbilling help')";
        }

        var command = parsed.CommandResult.Command;
        var of = command is RootCommand ? "" : $" for '{command.Name}'";
        var help = command is RootCommand ? "rulesbilling help" : $"rulesbilling help {command.Name}";
        var names = Options(parsed.CommandResult).SelectMany(o => o.Aliases.Prepend(o.Name)).Distinct().ToList();
        // A verb with a variadic argument (check's paths) takes an unknown "--x" as an argument; it is still an option typo.
        var unknown = parsed.UnmatchedTokens.FirstOrDefault(t => t.StartsWith('-'))
            ?? args.Skip(1).TakeWhile(a => a != "--").FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal) && !names.Contains(a.Split('=')[0], StringComparer.Ordinal));
        if (unknown is not null) return $"unknown option '{unknown}'{of}{Suggest(unknown, names)} (run '{help}')";
        if (parsed.Errors.Count == 0) return null;
        if (parsed.UnmatchedTokens.FirstOrDefault() is { } token) return $"unexpected argument '{token}'{of} (run '{help}')";
        return $"{OneLine(parsed.Errors[0].Message)} (run '{help}')";
    }

    /// <summary>The parser lists choices one per line ("Must be one of:\n\t'table'\n\t'json'"); stderr gets one line.</summary>
    private static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 1 ? lines[0] : lines[0] + " " + string.Join(", ", lines.Skip(1));
    }

    /// <summary>The verb's options and the recursive ones (--help) it inherits from the root.</summary>
    private static IEnumerable<Option> Options(CommandResult result)
    {
        foreach (var option in result.Command.Options) yield return option;
        for (var parent = result.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
        {
            foreach (var option in parent.Command.Options.Where(o => o.Recursive)) yield return option;
        }
    }

    public static IEnumerable<string> Verbs(Command root) => root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);

    /// <summary>"; did you mean 'x'?" when one known name is close enough to be a typo, else nothing.</summary>
    public static string Suggest(string typed, IReadOnlyCollection<string> known)
    {
        var best = known
            .Select(k => (Name: k, Distance: Distance(typed, k)))
            .Where(c => c.Distance <= Math.Max(2, c.Name.Length / 3) || (typed.Length >= 3 && c.Name.StartsWith(typed, StringComparison.Ordinal)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name is null ? "" : $"; did you mean '{best.Name}'?";
    }

    /// <summary>Case-insensitive: a typo in case is still a typo.</summary>
    private static int Distance(string a, string b) => NameSuggestions.Distance(a.ToLowerInvariant(), b.ToLowerInvariant());
}
