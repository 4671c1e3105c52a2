using System.Diagnostics;
using System.Globalization;

namespace RulesBilling.Benchmarks.Workload;

/// <summary>What one measured run cost: wall time, peak working set of the process, managed bytes allocated, GC counts.</summary>
internal sealed record Measurement(TimeSpan Elapsed, long PeakWorkingSetBytes, long AllocatedBytes, long MaxGcHeapBytes, int Gen0, int Gen1, int Gen2)
{
    public static Measurement Run(Action work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var watch = Stopwatch.StartNew();
        work();
        watch.Stop();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new Measurement(watch.Elapsed, process.PeakWorkingSet64, GC.GetTotalAllocatedBytes(precise: true) - allocated,
            MaxHeap(), GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2);
    }

    /// <summary>The largest managed heap any GC so far has seen (after the collection), a bound on live data.</summary>
    private static long MaxHeap()
    {
        long max = 0;
        foreach (var kind in new[] { GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background })
        {
            var info = GC.GetGCMemoryInfo(kind);
            max = Math.Max(max, info.HeapSizeBytes);
        }
        return max;
    }

    public static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0", CultureInfo.InvariantCulture) + " MiB";
}
