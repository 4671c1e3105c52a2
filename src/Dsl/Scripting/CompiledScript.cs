using System.Globalization;
using System.Runtime.CompilerServices;
using RulesBilling.Dsl.Binding;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// A checked, budgeted script loaded in its own collectible context. <see cref="Invoke{TInput}"/> arms the budget, runs
/// the script under the invariant culture, and turns every failure into a <see cref="RuleEvaluationException"/> at the
/// script's location: the host never sees a raw exception from script code.
/// </summary>
internal sealed class CompiledScript(Delegate entry, ScriptLoadContext context)
{
    private readonly WeakReference<ScriptLoadContext> _context = new(context);

    /// <summary>A weak reference to the load context: it dies once the context is unloaded and collected.</summary>
    public WeakReference Context { get; } = new(context);

    /// <summary>Asks the runtime to unload the script's assembly once nothing refers to it any more.</summary>
    public void Unload()
    {
        if (_context.TryGetTarget(out var context)) context.Unload();
    }

    public object? Invoke<TInput>(TInput input, ScriptLimits limits, SourceLocation location)
    {
        // Every script frame is bounded at check time (ScriptStackCheck); entering one needs this much headroom, the
        // same check ScriptBudget.Enter makes for every nested call. A stack overflow cannot be caught: prevent it.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new RuleEvaluationException(ScriptCodes.RecursionTooDeep, "not enough stack left to run the script", location);
        }
        var culture = CultureInfo.CurrentCulture;
        var swapCulture = !ReferenceEquals(culture, CultureInfo.InvariantCulture);
        if (swapCulture) CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        ScriptBudget.Begin(limits);
        try
        {
            return ((Func<TInput, object?>)entry)(input);
        }
        catch (ScriptAbortException ex)
        {
            throw new RuleEvaluationException(ex.Code, ex.Message, location);
        }
        catch (DivideByZeroException)
        {
            throw new RuleEvaluationException(DiagnosticCodes.DivisionByZero, "division by zero in script", location);
        }
        catch (OverflowException)
        {
            throw new RuleEvaluationException(DiagnosticCodes.Overflow, "arithmetic overflow in script", location);
        }
        catch (Exception ex) when (ex is not RuleEvaluationException)
        {
            throw new RuleEvaluationException(ScriptCodes.ScriptFailed, $"script failed: {ex.GetType().Name}: {ex.Message}", location);
        }
        finally
        {
            ScriptBudget.End();
            if (swapCulture) CultureInfo.CurrentCulture = culture;
        }
    }
}
