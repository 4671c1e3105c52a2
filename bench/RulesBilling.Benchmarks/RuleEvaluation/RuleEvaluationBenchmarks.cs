using System.Text.Json;
using BenchmarkDotNet.Attributes;
using RulesBilling.Benchmarks.Workload;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Runtime;
using RulesEngine.Models;

namespace RulesBilling.Benchmarks.RuleEvaluation;

/// <summary>
/// One outcome predicate and one graduated price (with a minimum) evaluated over the same 1,024 events, four ways:
/// compiled from the DSL, hand-written C# over the same <see cref="RuleEvent"/> slots (the floor), the project's C#
/// script rules (<see cref="BenchScriptRules"/>), and Microsoft RulesEngine 6.0.1 with the equivalent lambda expressions. One operation is
/// one event (OperationsPerInvoke), so the means read as time per event.
/// </summary>
[MemoryDiagnoser]
public class RuleEvaluationBenchmarks
{
    private const int Events = 1024;

    private RuleEvent[] _events = [];
    private TaskInput[] _inputs = [];
    private Func<RuleEvent, bool> _dslCondition = null!;
    private Func<RuleEvent, decimal> _dslValue = null!;
    private Func<RuleEvent, bool> _handCondition = null!;
    private Func<RuleEvent, decimal> _handValue = null!;
    private Func<RuleEvent, bool> _scriptCondition = null!;
    private Func<RuleEvent, decimal> _scriptValue = null!;
    private RulesEngine.RulesEngine _rulesEngine = null!;
    private int _status, _csat, _escalated, _tokens;

    [GlobalSetup]
    public void Setup()
    {
        var rules = BenchRules.Compile(customers: 3);
        var schema = rules.Events[BenchRules.EventType];
        var outcome = rules.Outcomes.Single();
        _dslCondition = outcome.Condition!;
        _dslValue = outcome.Value!;
        _status = schema.Find("status")!.Slot;
        _csat = schema.Find("csat")!.Slot;
        _escalated = schema.Find("escalated")!.Slot;
        _tokens = schema.Find("tokens")!.Slot;

        var tasks = BenchTasks.Generate(seed: 7, Events, customers: 3, "rule-").ToArray();
        _events = tasks.Select(t => Bind(schema, t)).ToArray();
        _inputs = tasks.Select(t => new TaskInput(t.Status, t.Csat, t.Escalated, t.Tokens)).ToArray();

        // The script rule set declares the same event, so its slots are the same and the same bound events serve both.
        var scripted = BenchScriptRules.CompileOrThrow().Outcomes.Single();
        (_scriptCondition, _scriptValue) = (scripted.Condition!, scripted.Value!);
        var (status, csat, escalated, tokens) = (_status, _csat, _escalated, _tokens);
        _handCondition = e => (string)e.Fields[status]! == "closed" && (e.Fields[csat] is decimal c ? c : 5m) >= 4m && !(bool)e.Fields[escalated]!;
        _handValue = e => Price((decimal)e.Fields[tokens]!);
        _rulesEngine = RulesEngineWorkflow.Create();

        // Every variant must compute the same total, or the comparison means nothing.
        var expected = HandWritten();
        foreach (var (name, total) in new[] { ("delegates", HandWrittenDelegates()), ("dsl", Dsl()), ("script", Script()), ("rulesengine", RulesEngine()) })
        {
            if (total != expected) throw new InvalidOperationException($"{name} computed {total}, hand-written {expected}");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "hand-written C#")]
    public decimal HandWritten()
    {
        var total = 0m;
        foreach (var e in _events)
        {
            var f = e.Fields;
            if ((string)f[_status]! == "closed" && (f[_csat] is decimal csat ? csat : 5m) >= 4m && !(bool)f[_escalated]!)
            {
                // Written out (not a call to Price) so the floor is the fully inlined loop.
                var tokens = (decimal)f[_tokens]!;
                total += Math.Max(
                    Math.Min(tokens, 1000m) * 0.002m + Math.Max(Math.Min(tokens, 10000m) - 1000m, 0m) * 0.0015m + Math.Max(tokens - 10000m, 0m) * 0.001m,
                    0.05m);
            }
        }
        return total;
    }

    /// <summary>
    /// The same hand-written code, but called through two delegates per event as any rule loaded at run time is
    /// (DSL and script alike): separates the cost of the delegate boundary from the cost of the compiled code.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Events, Description = "hand-written C#, via delegates")]
    public decimal HandWrittenDelegates()
    {
        var total = 0m;
        foreach (var e in _events)
        {
            if (_handCondition(e)) total += _handValue(e);
        }
        return total;
    }

    private static decimal Price(decimal tokens) =>
        Math.Max(Math.Min(tokens, 1000m) * 0.002m + Math.Max(Math.Min(tokens, 10000m) - 1000m, 0m) * 0.0015m + Math.Max(tokens - 10000m, 0m) * 0.001m, 0.05m);

    [Benchmark(OperationsPerInvoke = Events, Description = "DSL compiled")]
    public decimal Dsl()
    {
        var total = 0m;
        foreach (var e in _events)
        {
            if (_dslCondition(e)) total += _dslValue(e);
        }
        return total;
    }

    /// <summary>The same rule as script rules, called through the compiled model's delegates exactly like <see cref="Dsl"/>.</summary>
    [Benchmark(OperationsPerInvoke = Events, Description = "C# script rules")]
    public decimal Script()
    {
        var total = 0m;
        foreach (var e in _events)
        {
            if (_scriptCondition(e)) total += _scriptValue(e);
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "RulesEngine 6.0.1")]
    public decimal RulesEngine()
    {
        var total = 0m;
        foreach (var input in _inputs)
        {
            var result = _rulesEngine.ExecuteAllRulesAsync(RulesEngineWorkflow.Name, new RuleParameter("t", input)).GetAwaiter().GetResult()[0];
            if (result.IsSuccess) total += (decimal)result.ActionResult.Output;
        }
        return total;
    }

    private static RuleEvent Bind(EventSchema schema, BenchTask task)
    {
        using var document = JsonDocument.Parse(task.DataJson());
        return EventBinder.TryBind(schema, task.TaskId, BenchTask.Source, task.Subject, task.Time, document.RootElement, out var error)
            ?? throw new InvalidOperationException(error);
    }
}

/// <summary>The typed input RulesEngine evaluates (its best case: a CLR type, not a dynamic or JSON object).</summary>
public sealed record TaskInput(string Status, int? Csat, bool Escalated, decimal Tokens);

/// <summary>The benchmark's predicate and price as one RulesEngine rule with an OutputExpression action.</summary>
internal static class RulesEngineWorkflow
{
    public const string Name = "bench";

    public static RulesEngine.RulesEngine Create()
    {
        var rule = new Rule
        {
            RuleName = "completed_task",
            RuleExpressionType = RuleExpressionType.LambdaExpression,
            Expression = "t.Status == \"closed\" && (t.Csat ?? 5) >= 4 && t.Escalated == false",
            Actions = new RuleActions
            {
                OnSuccess = new ActionInfo
                {
                    Name = "OutputExpression",
                    Context = new Dictionary<string, object>
                    {
                        ["Expression"] = "Math.Max(Math.Min(t.Tokens, 1000m) * 0.002m + Math.Max(Math.Min(t.Tokens, 10000m) - 1000m, 0m) * 0.0015m + Math.Max(t.Tokens - 10000m, 0m) * 0.001m, 0.05m)",
                    },
                },
            },
        };
        var workflow = new Workflow { WorkflowName = Name, Rules = [rule] };
        return new RulesEngine.RulesEngine([workflow], new ReSettings());
    }
}
