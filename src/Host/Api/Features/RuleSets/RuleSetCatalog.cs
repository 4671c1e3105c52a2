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
/// <para>
/// With <paramref name="latestVersion"/> (a store shared by several nodes) an upload made on another node is picked up:
/// at most once per <see cref="PollInterval"/> per tenant the latest stored version number is read (one index lookup)
/// and, when it differs from the compiled one, that version is compiled and put in force.
/// </para>
/// </summary>
internal sealed class RuleSetCatalog(
    CompiledRuleSet? startup, Func<IReadOnlyList<SourceText>, RuleSetCheck> check, ITenantStore store, Func<string, int>? latestVersion = null)
{
    /// <summary>How stale a node's view of another node's upload may be.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, ActiveRuleSet> _active = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _checkedAt = new(StringComparer.Ordinal);
    private readonly Lock _uploads = new();

    public const string StartupOrigin = "startup";

    /// <summary>The rules loaded from <c>--rules</c> at start-up, if any.</summary>
    public CompiledRuleSet? Startup => startup;

    /// <summary>The tenant's rule set as written, or null when neither start-up rules nor an upload exist.</summary>
    public ActiveRuleSet? Find(string tenant)
    {
        if (_active.TryGetValue(tenant, out var active) && !Outdated(tenant, active)) return active;
        var latest = store.ListRuleSets(tenant).LastOrDefault();
        if (latest is not null)
        {
            if (active is not null && active.Version == latest.Version) return active;
            // Versions were checked when uploaded; after a restart (or an upload on another node) they are compiled
            // again from their text. A newer version already in force is never replaced by an older one.
            var compiled = check(Sources(latest.Files)).RuleSet
                ?? throw new InvalidOperationException($"stored rule set version {latest.Version} of tenant {tenant} no longer checks");
            var loaded = new ActiveRuleSet(latest.Version, "upload", compiled);
            return _active.AddOrUpdate(tenant, loaded, (_, current) => current.Version >= loaded.Version ? current : loaded);
        }
        // Kept like an upload so the next request does not read the store again; an upload replaces it (Upload, or Outdated
        // on a shared store).
        return startup is null ? null : _active.GetOrAdd(tenant, _ => new ActiveRuleSet(0, StartupOrigin, startup));
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

    /// <summary>True when the store is shared, the tenant was not checked within the poll interval, and a different version is stored.</summary>
    private bool Outdated(string tenant, ActiveRuleSet active)
    {
        if (latestVersion is null) return false;
        var now = Environment.TickCount64;
        if (_checkedAt.TryGetValue(tenant, out var at) && now - at < (long)PollInterval.TotalMilliseconds) return false;
        _checkedAt[tenant] = now;
        return latestVersion(tenant) != active.Version;
    }

    private static IReadOnlyList<SourceText> Sources(IReadOnlyList<StoredRuleFile> files) =>
        files.Select(f => new SourceText(f.Path, f.Text)).ToList();
}
