using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// The counters checked by the code the budget rewriter injects into scripts. Public only because generated script
/// assemblies call it; scripts themselves cannot (the allowlist refuses the type). State is per thread and per
/// invocation: <see cref="Begin"/> arms it, <see cref="End"/> disarms it.
/// </summary>
public static class ScriptBudget
{
    // How many steps pass between wall-clock reads: reading the clock on every step would dominate small loops.
    private const int ClockInterval = 4096;

    [ThreadStatic] private static State? t_armed;
    [ThreadStatic] private static State? t_spare;

    // One state per thread, re-armed for each invocation: a rule is evaluated per event, so allocating a state (and
    // reading the clock) on every call would cost more than a small script itself.
    private sealed class State
    {
        public ScriptLimits Limits = null!;
        public long Deadline;
        public long Steps;
        public long Allocated;
        public int Depth;
    }

    internal static void Begin(ScriptLimits limits)
    {
        var state = t_spare ?? new State();
        t_spare = null;
        state.Limits = limits;
        state.Deadline = 0; // the wall clock starts at the first step: a script without loops never reads it
        state.Steps = 0;
        state.Allocated = 0;
        state.Depth = 0;
        t_armed = state;
    }

    internal static void End()
    {
        t_spare = t_armed;
        t_armed = null;
    }

    /// <summary>A loop back-edge, LINQ element or similar unit of work.</summary>
    public static void Tick()
    {
        var state = t_armed ?? throw NotArmed();
        Step(state, 1);
    }

    /// <summary>Entry of a local function or lambda: a step plus one level of depth.</summary>
    public static void Enter()
    {
        var state = t_armed ?? throw NotArmed();
        Step(state, 1);
        if (++state.Depth > state.Limits.MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new ScriptAbortException(ScriptCodes.RecursionTooDeep,
                $"script recursion too deep (more than {state.Limits.MaxDepth} nested calls)");
        }
    }

    public static void Exit()
    {
        if (t_armed is { } state) state.Depth--;
    }

    /// <summary>Checks an array length before the array is created.</summary>
    public static int Array(int length)
    {
        var state = t_armed ?? throw NotArmed();
        if (length > state.Limits.MaxArrayLength)
        {
            throw new ScriptAbortException(ScriptCodes.BudgetExceeded,
                $"script allocation too large: an array of {length} elements (at most {state.Limits.MaxArrayLength})");
        }
        Allocate(state, Math.Max(length, 0));
        return length;
    }

    /// <summary>Checks a string the script built by concatenation or interpolation.</summary>
    public static string Text(string value)
    {
        var state = t_armed ?? throw NotArmed();
        if (value.Length > state.Limits.MaxStringLength)
        {
            throw new ScriptAbortException(ScriptCodes.BudgetExceeded,
                $"script allocation too large: a string of {value.Length} characters (at most {state.Limits.MaxStringLength})");
        }
        Allocate(state, value.Length);
        return value;
    }

    /// <summary>
    /// Evaluates a LINQ operator eagerly. Lazy operator chains nest iterators inside the framework, where a long chain
    /// could overflow the stack without ever entering script code; an array never nests.
    /// </summary>
    public static T[] Materialize<T>(IEnumerable<T> source)
    {
        var state = t_armed ?? throw NotArmed();
        var items = new List<T>();
        foreach (var item in source)
        {
            Step(state, 1);
            Allocate(state, 1);
            items.Add(item);
        }
        return items.ToArray();
    }

    private static void Step(State state, long count)
    {
        if (state.Deadline == 0)
        {
            state.Deadline = Stopwatch.GetTimestamp() + (long)(state.Limits.WallClock.TotalSeconds * Stopwatch.Frequency);
        }
        state.Steps += count;
        if (state.Steps > state.Limits.MaxSteps)
        {
            throw new ScriptAbortException(ScriptCodes.BudgetExceeded,
                $"script step budget exceeded ({state.Limits.MaxSteps} steps); look for an endless loop");
        }
        if (state.Steps % ClockInterval == 0 && Stopwatch.GetTimestamp() > state.Deadline)
        {
            throw new ScriptAbortException(ScriptCodes.BudgetExceeded,
                $"script ran longer than its time limit of {state.Limits.WallClock.TotalMilliseconds} ms");
        }
    }

    private static void Allocate(State state, long count)
    {
        state.Allocated += count;
        if (state.Allocated > state.Limits.MaxAllocation)
        {
            throw new ScriptAbortException(ScriptCodes.BudgetExceeded,
                $"script allocation budget exceeded ({state.Limits.MaxAllocation} array elements and characters)");
        }
    }

    private static InvalidOperationException NotArmed() =>
        new("script budget used outside a script invocation");
}
