namespace RulesBilling.Host.Tests.Reliability;

/// <summary>
/// CI runs the short variants. Setting <c>RULESBILLING_RELIABILITY_LONG=1</c> runs the long ones (more kills, more
/// load, more fuzz cases); see docs/reliability.md.
/// </summary>
internal static class ReliabilitySettings
{
    public static bool Long => Environment.GetEnvironmentVariable("RULESBILLING_RELIABILITY_LONG") == "1";

    /// <summary>SIGKILLs per crash test.</summary>
    public static int Kills => Long ? 20 : 3;

    /// <summary>Upper bound for one whole test; a hang fails it instead of blocking CI.</summary>
    public static TimeSpan Deadline => Long ? TimeSpan.FromMinutes(20) : TimeSpan.FromMinutes(3);
}
