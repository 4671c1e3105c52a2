namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// Run-time bounds of one script invocation. <see cref="MaxSteps"/> counts loop iterations, function and lambda
/// entries and LINQ elements; <see cref="MaxAllocation"/> counts array elements and string characters the script
/// creates. Steps and allocation are deterministic; <see cref="WallClock"/> is only a backstop against a slow host.
/// </summary>
public sealed record ScriptLimits
{
    public long MaxSteps { get; init; } = 1_000_000;
    public int MaxDepth { get; init; } = 128;
    public long MaxAllocation { get; init; } = 4_000_000;
    public int MaxArrayLength { get; init; } = 1_000_000;
    public int MaxStringLength { get; init; } = 1_000_000;
    public TimeSpan WallClock { get; init; } = TimeSpan.FromSeconds(2);

    public static ScriptLimits Default { get; } = new();
}
