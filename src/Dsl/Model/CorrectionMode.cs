namespace RulesBilling.Dsl.Model;

/// <summary>How a contract corrects a finalized invoice that a re-rating changed (docs/dsl-spec.md §10.8).</summary>
public enum CorrectionMode
{
    /// <summary><c>corrections net</c> (the default): one line per changed line, re-rated minus billed.</summary>
    Net,

    /// <summary>
    /// <c>corrections reverse_and_rebill</c>: the billed line is reversed in full on a credit note and the re-rated line
    /// is billed anew on an adjustment invoice (OpenMeter's corrections).
    /// </summary>
    ReverseAndRebill,
}
