using RulesBilling.Engine.Billing;
using Spectre.Console;

namespace RulesBilling.Host.Cli;

/// <summary>A Spectre progress bar over a simulation, on the terminal only.</summary>
internal static class ProgressDisplay
{
    public static SimulationResult Run(bool show, Func<IProgress<SimulationProgress>?, SimulationResult> work)
    {
        if (!show) return work(null);

        SimulationResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("reading events");
                task.IsIndeterminate = true;
                result = work(new TaskProgress(task));
            });
        return result!;
    }

    /// <summary>Updates the bar synchronously: <see cref="Progress{T}"/> would post to a context the CLI does not have.</summary>
    private sealed class TaskProgress(ProgressTask task) : IProgress<SimulationProgress>
    {
        public void Report(SimulationProgress value)
        {
            task.IsIndeterminate = false;
            task.Description = $"rating {value.Customers} customers ({value.EventsRead:N0} events)";
            task.MaxValue = Math.Max(1, value.Customers);
            task.Value = value.CustomersRated;
        }
    }
}
