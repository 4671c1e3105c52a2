namespace RulesBilling.Engine.Outcomes;

/// <summary>The "source/id" form that identifies an event in explanations.</summary>
public static class EventRef
{
    public static string Of(string source, string id) => source + "/" + id;
}
