namespace RulesBilling.Engine.Activity;

/// <summary>
/// Instants in time order with their amounts, answering "how many, and how much, in [from, to)" in O(log N + B)
/// instead of a scan: an entitlement check asks this on every request, so its cost must not grow with the customer's
/// history (docs/performance.md §9a). Amounts are summed per block of <see cref="BlockSize"/> and a window adds the
/// whole blocks it covers plus the instants at its two ends one by one — never as a difference of prefix sums, whose
/// scale (1.0 - 0 = 1.0 where the window holds only 1) would differ from the plain sum's; exact decimal addition is
/// associative in value and scale, so the answer is the scan's, digit for digit.
/// </summary>
internal sealed class WindowIndex
{
    private const int BlockSize = 512;

    private readonly long[] _ticks;
    private readonly decimal[] _amounts;
    private readonly decimal[] _blocks;

    public WindowIndex(IEnumerable<(DateTimeOffset At, decimal Amount)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var sorted = items.Select(i => (Ticks: i.At.UtcTicks, i.Amount)).ToArray();
        // Stable, so equal instants keep their order (irrelevant to exact sums, kept for determinism).
        sorted = [.. sorted.OrderBy(i => i.Ticks)];
        _ticks = sorted.Select(i => i.Ticks).ToArray();
        _amounts = sorted.Select(i => i.Amount).ToArray();
        _blocks = new decimal[(_ticks.Length + BlockSize - 1) / BlockSize];
        for (var b = 0; b < _blocks.Length; b++)
        {
            var sum = 0m;
            for (var i = b * BlockSize; i < Math.Min(_ticks.Length, (b + 1) * BlockSize); i++) sum += _amounts[i];
            _blocks[b] = sum;
        }
    }

    /// <summary>How many instants fall in [from, to).</summary>
    public int Count(DateTimeOffset from, DateTimeOffset to) => Math.Max(0, LowerBound(to.UtcTicks) - LowerBound(from.UtcTicks));

    /// <summary>The sum of the amounts of the instants in [from, to), as a sum in time order would give it (0 when none).</summary>
    public decimal Sum(DateTimeOffset from, DateTimeOffset to)
    {
        var (start, end) = (LowerBound(from.UtcTicks), LowerBound(to.UtcTicks));
        var sum = 0m;
        var i = start;
        for (; i < end && i % BlockSize != 0; i++) sum += _amounts[i];
        for (; i + BlockSize <= end; i += BlockSize) sum += _blocks[i / BlockSize];
        for (; i < end; i++) sum += _amounts[i];
        return sum;
    }

    /// <summary>The index of the first instant at or after <paramref name="ticks"/>.</summary>
    private int LowerBound(long ticks)
    {
        var (lo, hi) = (0, _ticks.Length);
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (_ticks[mid] < ticks) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
