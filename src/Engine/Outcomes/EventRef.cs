namespace RulesBilling.Engine.Outcomes;

/// <summary>The "source/id" form that identifies an event in explanations.</summary>
internal static class EventRef
{
    public static string Of(string source, string id) => source + "/" + id;
}
