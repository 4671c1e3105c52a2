namespace RulesBilling.Dsl.Model;

/// <summary>
/// A charge priced by a C# script (<c>charge x { script "rate.csx" }</c>): <see cref="Rate"/> returns the exact amount in
/// the invoice currency for the charge's outcomes after free units; the engine applies the charge cap and rounds.
/// It throws <see cref="RuleEvaluationException"/> (RB0904–RB0906) when the script fails or exceeds its budget.
/// </summary>
public sealed record ScriptModel(Func<ChargeRatingInput, decimal> Rate, string Description) : ChargeModel;
