using System.Globalization;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Binding;

// Features: declarations (after outcomes, which metered features count) and the grants of contract versions.
internal sealed partial class RuleSetBinder
{
    private readonly SortedDictionary<string, FeatureRule> _features = new(StringComparer.Ordinal);

    private void BindFeature(FeatureDecl decl, SourceText source)
    {
        string? outcome = null;
        string? eventType = null;
        switch (decl.Kind)
        {
            case FeatureKindSyntax.MeteredOutcome:
                if (!_outcomeDecls.ContainsKey(decl.Source!.Text))
                {
                    Error(source, decl.Source.Span, DiagnosticCodes.UnknownOutcome,
                        $"unknown outcome '{decl.Source.Text}'{NameSuggestions.DidYouMean(decl.Source.Text, _outcomeDecls.Keys)}; feature '{decl.Name.Text}' meters a declared outcome");
                    return;
                }
                outcome = decl.Source.Text;
                break;
            case FeatureKindSyntax.MeteredEvent:
                if (LookupEvent(decl.Source!, source) is null) return;
                eventType = decl.Source!.Text;
                break;
        }

        var kind = decl.Kind switch
        {
            FeatureKindSyntax.Bool => FeatureKind.Boolean,
            FeatureKindSyntax.Integer => FeatureKind.Integer,
            FeatureKindSyntax.Decimal => FeatureKind.Decimal,
            FeatureKindSyntax.String => FeatureKind.String,
            _ => FeatureKind.Metered,
        };
        var (line, column) = source.GetLineColumn(decl.Span.Start);
        _features[decl.Name.Text] = new FeatureRule(decl.Name.Text, kind, outcome, eventType, new SourceLocation(source.Path, line, column));
    }

    /// <summary>The grants of every valid contract version that has a <c>features</c> block.</summary>
    private List<ContractFeatures> BindFeatureGrants(IReadOnlyList<Located<ContractDecl>> declarations, IReadOnlyList<BoundContract> contracts, IReadOnlySet<string> declaredFeatures)
    {
        var result = new List<ContractFeatures>();
        foreach (var (decl, source) in declarations.Select(d => (d.Decl, d.Source)))
        {
            var blocks = decl.Items.OfType<FeaturesItem>().ToList();
            if (blocks.Count == 0) continue;
            var label = $"contract '{decl.Name.Text}' version {decl.Version.Value.ToString(CultureInfo.InvariantCulture)}";
            foreach (var extra in blocks.Skip(1))
            {
                Error(source, extra.Span, DiagnosticCodes.DuplicateClause,
                    $"{label} already has a 'features' block at {Where(source, blocks[0].Span)}; list all grants in one block");
            }

            var grants = new List<FeatureGrant>();
            var seen = new Dictionary<string, FeatureGrantSyntax>(StringComparer.Ordinal);
            foreach (var grant in blocks[0].Grants)
            {
                if (!seen.TryAdd(grant.Feature.Text, grant))
                {
                    Error(source, grant.Feature.Span, FeatureDiagnosticCodes.DuplicateGrant,
                        $"feature '{grant.Feature.Text}' is granted twice in {label} (first at {Where(source, seen[grant.Feature.Text].Span)}); keep one grant");
                    continue;
                }
                if (BindGrant(grant, label, source, declaredFeatures) is { } bound) grants.Add(bound);
            }

            var version = contracts.FirstOrDefault(c => c.Version.Contract == decl.Name.Text && c.Version.Version == decl.Version.Value && c.Source.Path == source.Path);
            if (version is not null) result.Add(new ContractFeatures(version.Version.Contract, version.Version.Version, grants));
        }
        return result.OrderBy(f => f.Contract, StringComparer.Ordinal).ThenBy(f => f.Version).ToList();
    }

    private FeatureGrant? BindGrant(FeatureGrantSyntax grant, string label, SourceText source, IReadOnlySet<string> declaredFeatures)
    {
        var name = grant.Feature.Text;
        if (!_features.TryGetValue(name, out var feature))
        {
            // A declared feature that failed its own checks is already reported; do not report every grant of it too.
            if (!declaredFeatures.Contains(name))
            {
                Error(source, grant.Feature.Span, FeatureDiagnosticCodes.UnknownFeature,
                    $"unknown feature '{name}'{NameSuggestions.DidYouMean(name, declaredFeatures)} in {label}; declare it with e.g. 'feature {name} bool'");
            }
            return null;
        }

        if (feature.Kind == FeatureKind.Metered)
        {
            if (grant.Value is not null)
            {
                return Mismatch(grant.Value.Span, $"feature '{name}' is metered; grant it bare (unlimited) or with 'limit N hard' / 'limit N soft', not a value");
            }
            if (grant.Limit is not { } limit) return new FeatureGrant(name, true, null, null, null);
            var reset = BindReset(limit.Reset, source, out var resetOk);
            return resetOk ? new FeatureGrant(name, true, null, null, new FeatureLimit(limit.Amount.Value, limit.Hard, reset)) : null;
        }

        if (grant.Limit is not null)
        {
            return Mismatch(grant.Limit.Span, $"feature '{name}' is not metered, so it has no limit; only metered features take 'limit N hard|soft'");
        }

        switch (feature.Kind, grant.Value)
        {
            case (FeatureKind.Boolean, null):
                return new FeatureGrant(name, true, null, null, null);
            case (FeatureKind.Boolean, BoolLiteral b):
                return new FeatureGrant(name, b.Value, null, null, null);
            case (FeatureKind.Integer, NumberLiteral n) when decimal.Truncate(n.Value) == n.Value:
                return new FeatureGrant(name, true, n.Value, null, null);
            case (FeatureKind.Decimal, NumberLiteral n):
                return new FeatureGrant(name, true, n.Value, null, null);
            case (FeatureKind.String, StringLiteral s):
                return new FeatureGrant(name, true, null, s.Value, null);
            case (_, null):
                return Mismatch(grant.Span, $"feature '{name}' is {KindName(feature.Kind)}; give its value, e.g. '{name}: {Example(feature.Kind)}'");
            default:
                return Mismatch(grant.Value.Span, $"feature '{name}' is {KindName(feature.Kind)}, so its value must be {KindName(feature.Kind)} such as {Example(feature.Kind)}");
        }

        FeatureGrant? Mismatch(TextSpan span, string message)
        {
            Error(source, span, FeatureDiagnosticCodes.GrantKindMismatch, message);
            return null;
        }
    }

    private BillingPeriod? BindReset(FeatureResetSyntax? reset, SourceText source, out bool ok)
    {
        ok = true;
        switch (reset)
        {
            case null or { Kind: FeatureResetKind.BillingPeriod }:
                return null;
            case { Kind: FeatureResetKind.Monthly }:
                return new MonthlyPeriod(1);
        }

        var iso = reset.Iso!.Value;
        if (ParseIsoPeriod(iso) is { } period) return period;
        Error(source, reset.Iso.Span, FeatureDiagnosticCodes.BadReset,
            $"\"{iso}\" is not a reset period; use 'period', 'monthly' or an ISO 8601 duration of whole days, weeks, months or years such as \"P1D\" or \"P1W\"");
        ok = false;
        return null;
    }

    private static string KindName(FeatureKind kind) => kind switch
    {
        FeatureKind.Boolean => "a bool",
        FeatureKind.Integer => "an integer",
        FeatureKind.Decimal => "a decimal",
        _ => "a string",
    };

    private static string Example(FeatureKind kind) => kind switch
    {
        FeatureKind.Boolean => "true",
        FeatureKind.Integer => "5",
        FeatureKind.Decimal => "2.5",
        _ => "\"pro\"",
    };
}
