using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Binding;

// Contract items about periods, segments and corrections: `timezone` (§10.4), `tiers` (§10.5), `corrections` (§10.8).
internal sealed partial class RuleSetBinder
{
    /// <summary>
    /// An IANA zone id the runtime knows (RB0410 otherwise, with the closest id). Windows ids are refused even where the
    /// runtime would convert them: a rule file means the same on every machine.
    /// </summary>
    private string? BindTimeZone(TimezoneItem? item, SourceText source, ref bool valid)
    {
        if (item is null) return null;
        var id = item.Zone.Value;
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId && zone.Id == id) return id;
        var known = TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId).Select(z => z.Id).ToArray();
        Error(source, item.Zone.Span, DiagnosticCodes.UnknownTimeZone,
            $"unknown time zone \"{id}\"{NameSuggestions.DidYouMean(id, known).Replace('\'', '"')}; use an IANA time zone id such as \"Asia/Tokyo\", \"Europe/Berlin\" or \"America/New_York\"");
        valid = false;
        return null;
    }

    private static readonly string[] TierPositionWords = ["carry", "restart", "period"];

    private static readonly string[] CorrectionModeWords = ["net", "reverse_and_rebill"];

    /// <summary><c>corrections net | reverse_and_rebill</c> (docs/dsl-spec.md §10.8); anything else is RB0213.</summary>
    private CorrectionMode BindCorrectionMode(CorrectionsItem? item, SourceText source, ref bool valid)
    {
        switch (item?.Mode.Text)
        {
            case null or "net": return CorrectionMode.Net;
            case "reverse_and_rebill": return CorrectionMode.ReverseAndRebill;
        }
        Error(source, item.Mode.Span, OutcomeDiagnosticCodes.BadCorrectionMode,
            $"'corrections {item.Mode.Text}' is not a correction mode{NameSuggestions.DidYouMean(item.Mode.Text, CorrectionModeWords)}; use 'corrections net' or 'corrections reverse_and_rebill'");
        valid = false;
        return CorrectionMode.Net;
    }

    private TierPosition BindTierPosition(TiersItem? item, SourceText source, ref bool valid)
    {
        switch (item?.Mode.Text)
        {
            case null: return TierPosition.Lower;
            case "carry": return TierPosition.Carry;
            case "restart": return TierPosition.Restart;
            case "period": return TierPosition.Period;
        }
        Error(source, item.Mode.Span, DiagnosticCodes.BadTierPosition,
            $"'tiers {item.Mode.Text}' is not a tier position{NameSuggestions.DidYouMean(item.Mode.Text, TierPositionWords)}; use 'tiers carry', 'tiers restart' or 'tiers period'");
        valid = false;
        return TierPosition.Lower;
    }
}
