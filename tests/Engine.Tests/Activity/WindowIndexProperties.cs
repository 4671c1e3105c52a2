using System.Globalization;
using FsCheck;
using FsCheck.Xunit;
using RulesBilling.Engine.Activity;

namespace RulesBilling.Engine.Tests.Activity;

/// <summary>The index an entitlement check reads answers exactly what a scan of the instants answers: count, value and scale of the sum.</summary>
public sealed class WindowIndexProperties
{
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Property(MaxTest = 300)]
    public bool Count_and_sum_equal_the_scan(int[] minutes, byte[] scales, int fromMinute, int span)
    {
        var items = minutes.Select((m, i) =>
        {
            var scale = (byte)(scales.Length == 0 ? 0 : scales[i % scales.Length] % 4);
            return (At: Origin.AddMinutes(Math.Abs(m % 5000)), Amount: new decimal(Math.Abs(m % 977) + 1, 0, 0, false, scale));
        }).ToList();
        // Many items past a block boundary, so whole blocks are summed too.
        items.AddRange(Enumerable.Range(0, minutes.Length * 40).Select(i => (At: Origin.AddSeconds(i * 7), Amount: i % 3 == 0 ? 1.0m : 2m)));
        var index = new WindowIndex(items);
        var from = Origin.AddMinutes(Math.Abs(fromMinute % 5000) - 100);
        var to = from.AddMinutes(Math.Abs(span % 6000));
        var inWindow = items.Where(i => i.At >= from && i.At < to).ToList();
        var scanned = inWindow.Sum(i => i.Amount);
        var summed = index.Sum(from, to);
        return index.Count(from, to) == inWindow.Count
            && summed.ToString(CultureInfo.InvariantCulture) == scanned.ToString(CultureInfo.InvariantCulture);
    }

    [Fact]
    public void An_empty_window_or_index_is_zero()
    {
        var index = new WindowIndex([(Origin, 1.5m), (Origin.AddHours(1), 2m)]);
        Assert.Equal(0, index.Count(Origin.AddMinutes(1), Origin.AddMinutes(59)));
        Assert.Equal(0m, index.Sum(Origin.AddHours(2), DateTimeOffset.MaxValue));
        Assert.Equal("3.5", index.Sum(Origin, DateTimeOffset.MaxValue).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, new WindowIndex([]).Count(DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
    }
}
