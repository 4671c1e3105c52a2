using Mediator;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.RuleSets;

/// <summary>The tenant's uploaded versions, oldest first, preceded by the start-up rules (version 0) when the server has them.</summary>
internal sealed record ListRuleSets(Caller Caller) : IQuery<IReadOnlyList<RuleSetView>>, IApiMessage;

internal sealed class ListRuleSetsHandler(RuleSetCatalog catalog, ITenantStore store) : IQueryHandler<ListRuleSets, IReadOnlyList<RuleSetView>>
{
    public ValueTask<IReadOnlyList<RuleSetView>> Handle(ListRuleSets query, CancellationToken cancellationToken)
    {
        var tenant = query.Caller.Tenant;
        var active = catalog.Find(tenant);
        var views = new List<RuleSetView>();
        if (catalog.Startup is { } startup)
        {
            views.Add(new RuleSetView(0, startup.Hash, RuleSetCatalog.StartupOrigin, active?.Version == 0, null, null, Contracts(startup), null, []));
        }
        views.AddRange(store.ListRuleSets(tenant).Select(r =>
            new RuleSetView(r.Version, r.Hash, "upload", active?.Version == r.Version, r.UploadedAt, r.Comment, [], null, [])));
        return ValueTask.FromResult<IReadOnlyList<RuleSetView>>(views);
    }

    internal static IReadOnlyList<string> Contracts(Dsl.Model.CompiledRuleSet rules) =>
        rules.Contracts.Select(c => c.Contract).Distinct().Order(StringComparer.Ordinal).ToList();
}
