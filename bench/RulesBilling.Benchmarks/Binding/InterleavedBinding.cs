using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RulesBilling.Benchmarks.Workload;
using RulesBilling.Dsl.Runtime;
using RulesBilling.Engine;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Benchmarks.Binding;

/// <summary>
/// <c>bind [--rounds 9]</c>: the two ways a read binds a stored event, over the same 200,000 generated events,
/// alternated round by round: parsing the stored JSON and converting it (<see cref="EventBinder"/>, what every read
/// did before typed storage) versus taking the typed form (<see cref="TypedFields.TryBind"/>). Reports the median
/// per-round time ratio and the bytes allocated per event.
/// </summary>
internal static class InterleavedBinding
{
    public static int Run(int rounds)
    {
        var schema = BenchRules.Compile(3).Events[BenchRules.EventType];
        var tasks = BenchTasks.Generate(seed: 42, 200_000, 3, "bind-").ToList();
        var json = tasks.Select(t => t.DataJson()).ToList();
        var typed = tasks.Select((t, i) =>
        {
            using var document = JsonDocument.Parse(json[i]);
            return TypedFields.Encode(schema, EventBinder.TryBind(schema, t.TaskId, BenchTask.Source, t.Subject, t.Time, document.RootElement, out _)!);
        }).ToList();

        long FromJson()
        {
            long n = 0;
            for (var i = 0; i < tasks.Count; i++)
            {
                using var document = JsonDocument.Parse(json[i]);
                if (EventBinder.TryBind(schema, tasks[i].TaskId, BenchTask.Source, tasks[i].Subject, tasks[i].Time, document.RootElement, out _) is { } e) n += e.Fields.Length;
            }
            return n;
        }

        long FromTyped()
        {
            long n = 0;
            for (var i = 0; i < tasks.Count; i++)
            {
                if (typed[i].TryBind(schema, out var slots)) n += new Dsl.Model.RuleEvent(tasks[i].TaskId, BenchTask.Source, schema.Name, tasks[i].Subject, tasks[i].Time, slots!).Fields.Length;
            }
            return n;
        }

        if (FromJson() != FromTyped()) throw new InvalidOperationException("the two bindings disagree");
        var ratios = new List<double>();
        (double Ms, long Bytes) json1 = default, typed1 = default;
        for (var r = 0; r < rounds; r++)
        {
            json1 = Time(FromJson);
            typed1 = Time(FromTyped);
            ratios.Add(json1.Ms / typed1.Ms);
        }
        ratios.Sort();
        Console.WriteLine(FormattableString.Invariant(
            $"200,000 events, {rounds} rounds: JSON {json1.Ms:0} ms ({json1.Bytes / tasks.Count:N0} B/event allocated), typed {typed1.Ms:0} ms ({typed1.Bytes / tasks.Count:N0} B/event); median JSON/typed time ratio {ratios[ratios.Count / 2]:0.00}; typed form {typed.Average(t => t.Length):0} B/event, JSON {json.Average(j => j.Length):0} chars/event"));
        return 0;
    }

    private static (double Ms, long Bytes) Time(Func<long> work)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        work();
        return (watch.Elapsed.TotalMilliseconds, GC.GetTotalAllocatedBytes(precise: true) - before);
    }
}
