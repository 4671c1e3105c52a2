using Mediator;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Api.Features.RuleSets;

/// <summary>
/// Uploads a new version of the tenant's rule set. It is checked first; with any error it is refused (422 listing
/// every diagnostic), nothing is stored and the running version stays in force.
/// </summary>
internal sealed record UploadRuleSet(Caller Caller, IReadOnlyList<StoredRuleFile> Files, string? Comment)
    : ICommand<RuleSetView>, IValidatable, IAudited
{
    public string AuditAction => $"ruleset.upload ({Files.Count} files)";

    public IEnumerable<string> Validate()
    {
        if (Files.Count == 0) yield return "'files' must hold at least one rule file.";
        foreach (var file in Files)
        {
            if (string.IsNullOrWhiteSpace(file.Path)) yield return "every file needs a 'path'.";
        }
        var duplicates = Files.GroupBy(f => f.Path, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0) yield return $"file paths must be unique (repeated: {string.Join(", ", duplicates)}).";
    }
}

internal sealed class UploadRuleSetHandler(RuleSetCatalog catalog, TimeProvider clock) : ICommandHandler<UploadRuleSet, RuleSetView>
{
    public ValueTask<RuleSetView> Handle(UploadRuleSet command, CancellationToken cancellationToken)
    {
        var (stored, check) = catalog.Upload(command.Caller.Tenant, command.Files, command.Comment, clock.GetUtcNow());
        var diagnostics = check.Diagnostics.Select(DiagnosticView.From).ToList();
        if (stored is null)
        {
            var errors = diagnostics.Where(d => d.Severity == "error").ToList();
            throw ApiProblemException.Unprocessable(
                $"The rule set has {errors.Count} error(s) and was not loaded; the running version stays in force. First: {errors.FirstOrDefault()?.Rendered}",
                new Dictionary<string, object?> { ["diagnostics"] = diagnostics });
        }
        return ValueTask.FromResult(new RuleSetView(stored.Version, stored.Hash, "upload", true, stored.UploadedAt, stored.Comment,
            check.RuleSet!.Contracts.Select(c => c.Contract).Distinct().Order(StringComparer.Ordinal).ToList(), null, diagnostics));
    }
}
