using RulesBilling.Engine.Ingestion;

namespace RulesBilling.Host.Cli;

/// <summary>
/// A rejected event of an events file as one compiler-style line, <c>file:line:col: reason</c>, naming the event
/// when its envelope had a source and id (a line that is not JSON has neither).
/// </summary>
internal static class RejectedEventText
{
    public static string Format(string file, EventResult rejected)
    {
        var where = rejected.Line is { } line ? $"{file}:{line}:{rejected.Column ?? 1}" : $"{file}: event #{rejected.Index + 1}";
        var name = rejected.Source is not null && rejected.Id is not null ? $"{rejected.Source}/{rejected.Id}: " : "";
        return $"{where}: {name}{rejected.Reason}";
    }

    /// <summary>How an events argument is named in messages: '-' is stdin.</summary>
    public static string FileName(string events) => events == "-" ? "<stdin>" : events;
}
