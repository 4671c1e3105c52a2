using System.Globalization;
using System.Text;

namespace RulesBilling.Dsl.Syntax;

/// <summary>Canonical text of feature declarations and grants, in the layout of <see cref="RulePrinter"/>.</summary>
internal static class FeaturePrinter
{
    public static string Declaration(FeatureDecl feature) => "feature " + feature.Name.Text + " " + feature.Kind switch
    {
        FeatureKindSyntax.Bool => "bool",
        FeatureKindSyntax.Integer => "integer",
        FeatureKindSyntax.Decimal => "decimal",
        FeatureKindSyntax.String => "string",
        FeatureKindSyntax.MeteredOutcome => "metered outcome " + feature.Source!.Text,
        _ => "metered event " + feature.Source!.Text,
    };

    /// <summary>The <c>features { … }</c> item, indented as a contract item, without the trailing newline.</summary>
    public static void Grants(StringBuilder sb, FeaturesItem item)
    {
        sb.Append("features {\n");
        foreach (var grant in item.Grants) sb.Append("    ").Append(Grant(grant)).Append('\n');
        sb.Append("  }");
    }

    private static string Grant(FeatureGrantSyntax grant)
    {
        var text = grant.Feature.Text;
        if (grant.Value is { } value) return text + ": " + RulePrinter.Print(value);
        if (grant.Limit is not { } limit) return text;
        text += " limit " + limit.Amount.Value.ToString(CultureInfo.InvariantCulture) + (limit.Hard ? " hard" : " soft");
        return limit.Reset switch
        {
            null => text,
            { Kind: FeatureResetKind.BillingPeriod } => text + " reset period",
            { Kind: FeatureResetKind.Monthly } => text + " reset monthly",
            { Iso: { } iso } => text + " reset " + RulePrinter.Print(iso),
            _ => text,
        };
    }
}
