using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Invoicing;

// `base P in advance` (docs/dsl-spec.md §10.7), as Flexprice and Lago bill an advance fee: the version in force at the
// period's start bills its fee in full for the period; a version that takes over inside the period bills its fee for
// the rest of the period, and the version it replaces credits the unused rest of its fee. Each line is rounded on its
// own, so the change costs exactly the sum of its rounded lines (Flexprice: −5.48 + 10.97 = 5.49).
internal sealed partial class SegmentAssembler
{
    private void AddBaseInAdvance(decimal price)
    {
        var period = LocalTime.Length(request.PeriodFrom, request.PeriodTo, zone).Ticks;
        var rest = LocalTime.Length(segment.From, request.PeriodTo, zone).Ticks;
        var unused = LocalTime.Length(segment.To, request.PeriodTo, zone).Ticks;
        var days = $"{Duration(TimeSpan.FromTicks(rest))} of {Duration(TimeSpan.FromTicks(period))}";
        if (rest == period)
        {
            AddLine(LineKind.Base, "base", 0, "Base fee (in advance)", 1m, price, Round(price), "billed in advance for the period",
                steps: LineBreakdown.Single("base", $"1 × {LineBreakdown.P(price, currency)} {LineBreakdown.Is(price, currency)}", 1m, price, price));
        }
        else
        {
            var charge = price * rest / period;
            AddLine(LineKind.Base, "base", 0, "Base fee (in advance)", 1m, price, Round(charge), $"billed in advance from the change: {days}",
                steps: LineBreakdown.Single("base", $"{LineBreakdown.P(price, currency)} × {days} {LineBreakdown.Is(charge, currency)}", null, null, charge));
        }
        if (unused == 0) return;

        // This version stops before the period ends: the fee billed for the rest of the period is credited.
        var credit = -(price * unused / period);
        var left = $"{Duration(TimeSpan.FromTicks(unused))} of {Duration(TimeSpan.FromTicks(period))}";
        AddLine(LineKind.Base, "base", 1, "Base fee credit (unused)", 1m, null, Round(credit), $"credit for the unused {left} after version {segment.Version.Version} ends",
            steps: LineBreakdown.Single("base-credit", $"{LineBreakdown.P(price, currency)} × {left} unused, credited {LineBreakdown.Is(credit, currency)}", null, null, credit));
    }
}
