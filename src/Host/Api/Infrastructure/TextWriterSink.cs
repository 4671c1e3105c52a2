using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace RulesBilling.Host.Api.Infrastructure;

/// <summary>Writes log events to the writer the CLI was given (stdout in production, a buffer in tests).</summary>
internal sealed class TextWriterSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
{
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            formatter.Format(logEvent, output);
            output.Flush();
        }
    }
}
