using RulesBilling.Dsl.Model;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Outcomes;
using static RulesBilling.Engine.Tests.Rating.RatingFixtures;

namespace RulesBilling.Engine.Tests.Invoicing;

internal static class InvoiceFixtures
{
    public static InvoiceSegment Segment(
        PricingPlan plan, IReadOnlyList<OutcomeInstance>? outcomes = null, DateTimeOffset? from = null, DateTimeOffset? to = null,
        ContractVersion? version = null, IReadOnlyList<ExcludedEvent>? excluded = null, IReadOnlyList<SegmentCost>? costs = null) =>
        new(version ?? Version(1, new DateOnly(2026, 1, 1), plan.Currencies[0]), plan, from ?? Jan1, to ?? Feb1,
            outcomes ?? [], excluded ?? [], costs ?? []);

    public static InvoiceRequest Request(string currency, params InvoiceSegment[] segments) =>
        new("default", "acme", "support", currency, Jan1, Feb1, segments, "ruleset-hash");

    public static InvoiceRequest Request(params InvoiceSegment[] segments) => Request("USD", segments);

    public static Invoice Assemble(params InvoiceSegment[] segments) => InvoiceAssembler.Assemble(Request(segments));

    public static GuardRule Guard(string name, Func<GuardContext, bool> condition, GuardActionType action, decimal? cap = null) =>
        new(name, condition, name + "-condition", action, cap is { } c ? Price(c) : null, Where);
}
