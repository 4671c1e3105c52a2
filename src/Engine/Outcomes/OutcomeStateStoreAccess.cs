namespace RulesBilling.Engine.Outcomes;

internal static class OutcomeStateStoreAccess
{
    /// <summary>The session's outcome state, or null for a backend that keeps none (callers fall back to full detection).</summary>
    public static IOutcomeStateStore? OutcomeState(this IStoreSession session) => session.Find<IOutcomeStateStore>();
}
