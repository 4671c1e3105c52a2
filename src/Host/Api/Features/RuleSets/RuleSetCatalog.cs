using System.Collections.Concurrent;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.RuleSets;

/// <summary>
/// Which rule set is in force for each tenant. The start-up rules (from <c>--rules</c>, the git workflow) serve every
/// tenant until it uploads its own; the latest uploaded version that checked cleanly is in force after that.
/// Uploads are checked before anything is stored, so a refused upload leaves the running version untouched.
/// </summary>
internal sealed class RuleSetCatalog(CompiledRuleSet? startup, Func<IReadOnlyList<SourceText>, RuleSetCheck> check, ITenantStore store)
{
    private readonly ConcurrentDictionary<string, ActiveRuleSet> _active = new(StringComparer.Ordinal);
    private readonly Lock _uploads = new();

    public const string StartupOrigin = "startup";

    /// <summary>The rules loaded from <c>--rules</c> at start-up, if any.</summary>
    public CompiledRuleSet? Startup => startup;

    /// <summary>The tenant's rule set as written, or null when neither start-up rules nor an upload exist.</summary>
    public ActiveRuleSet? Find(string tenant)
    {
        if (_active.TryGetValue(tenant, out var active)) return active;
        var latest = store.ListRuleSets(tenant).LastOrDefault();
        if (latest is not null)
        {
            // Versions were checked when uploaded; after a restart they are compiled again from their text.
            var compiled = check(Sources(latest.Files)).RuleSet
                ?? throw new InvalidOperationException($"stored rule set version {latest.Version} of tenant {tenant} no longer checks");
            return _active.GetOrAdd(tenant, new ActiveRuleSet(latest.Version, "upload", compiled));
        }
        return startup is null ? null : new ActiveRuleSet(0, StartupOrigin, startup);
    }

    /// <summary>The tenant's rule set in force; 409 when there is none.</summary>
    public ActiveRuleSet Require(string tenant) => Find(tenant) ?? throw ApiProblemException.Conflict(
        "No rule set is loaded: upload one with POST /v1/rulesets or start the server with --rules.");

    /// <summary>Checks the files; on success stores them as the next version and puts it in force.</summary>
    public (StoredRuleSet? Stored, RuleSetCheck Check) Upload(string tenant, IReadOnlyList<StoredRuleFile> files, string? comment, DateTimeOffset now)
    {
        var result = check(Sources(files));
        if (result.RuleSet is null) return (null, result);
        lock (_uploads)
        {
            var stored = store.AddRuleSet(tenant, result.RuleSet.Hash, files, now, comment);
            _active[tenant] = new ActiveRuleSet(stored.Version, "upload", result.RuleSet);
            return (stored, result);
        }
    }

    private static IReadOnlyList<SourceText> Sources(IReadOnlyList<StoredRuleFile> files) =>
        files.Select(f => new SourceText(f.Path, f.Text)).ToList();
}
