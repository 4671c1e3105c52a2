using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Billing;

namespace RulesBilling.Engine.Outcomes;

/// <summary>
/// Runs one compiled delegate and turns its failure into a <see cref="RatingError"/>. Raw arithmetic faults are
/// mapped to their stable codes too, so a delegate that escaped the compiler's wrapping still reports, never zeroes.
/// </summary>
internal static class RuleEvaluation
{
    public static readonly string DivisionByZero = DiagnosticCatalogue.DivisionByZero.Code;
    public static readonly string Overflow = DiagnosticCatalogue.Overflow.Code;
    public static readonly string NegativeQuantity = DiagnosticCatalogue.NegativeQuantity.Code;

    public static bool TryEvaluate<T>(
        Func<T> evaluate, RuleEvent e, string rule, SourceLocation location, out T result, out RatingError? error)
    {
        try
        {
            result = evaluate();
            error = null;
            return true;
        }
        catch (RuleEvaluationException ex)
        {
            error = Error(e, rule, ex.Code, ex.Message);
        }
        catch (DivideByZeroException)
        {
            error = Error(e, rule, DivisionByZero, $"{location}: error {DivisionByZero}: division by zero");
        }
        catch (OverflowException)
        {
            error = Error(e, rule, Overflow, $"{location}: error {Overflow}: decimal overflow");
        }
        result = default!;
        return false;
    }

    public static RatingError Error(RuleEvent e, string rule, string code, string message) =>
        new(e.Subject, EventRef.Of(e.Source, e.Id), rule, code, message);
}
