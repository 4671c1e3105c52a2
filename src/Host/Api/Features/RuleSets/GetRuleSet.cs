using Mediator;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.RuleSets;

/// <summary>One uploaded version with its files (version 0 = the start-up rules, without files).</summary>
internal sealed record GetRuleSet(Caller Caller, int Version) : IQuery<RuleSetView>, IApiMessage;

internal sealed class GetRuleSetHandler(RuleSetCatalog catalog, ITenantStore store) : IQueryHandler<GetRuleSet, RuleSetView>
{
    public ValueTask<RuleSetView> Handle(GetRuleSet query, CancellationToken cancellationToken)
    {
        var active = catalog.Find(query.Caller.Tenant);
        if (query.Version == 0 && catalog.Startup is { } startup)
        {
            return ValueTask.FromResult(new RuleSetView(0, startup.Hash, RuleSetCatalog.StartupOrigin, active?.Version == 0, null, null,
                ListRuleSetsHandler.Contracts(startup), null, []));
        }
        var stored = store.FindRuleSet(query.Caller.Tenant, query.Version)
            ?? throw ApiProblemException.NotFound($"Rule set version {query.Version} does not exist.");
        var contracts = active?.Version == stored.Version ? ListRuleSetsHandler.Contracts(active.RuleSet) : [];
        return ValueTask.FromResult(new RuleSetView(stored.Version, stored.Hash, "upload", active?.Version == stored.Version,
            stored.UploadedAt, stored.Comment, contracts, stored.Files, []));
    }
}
