using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Scripting;

/// <summary>Rule-set snippets and helpers shared by the script tests.</summary>
internal static class ScriptRules
{
    public const string Events = """
        event order.paid {
          order_id: string
          total: money USD
          items: integer
          coupon: string?
        }

        """;

    public const string Tail = """

        pricing p {
          charge paid_order { unit 1 USD }
        }

        contract c version 1 effective 2025-01-01 {
          customers default
          pricing p
        }
        """;

    public static readonly CompileOptions Enabled = new() { AllowScripts = true };

    /// <summary>An outcome <c>paid_order</c> with the given clauses, in a complete rule set.</summary>
    public static string Outcome(string clauses) => Events + "outcome paid_order from order.paid {\n" + clauses + "\n}\n" + Tail;

    public static RuleSetCompilation Compile(string text, CompileOptions? options = null, IReadOnlyDictionary<string, string>? files = null)
    {
        var effective = options ?? Enabled;
        if (files is not null)
            effective = effective with { ScriptFiles = (_, path) => files.TryGetValue(path, out var code) ? (path, code) : null };
        return RuleSetCompiler.Compile([new SourceText("rules.rules", text)], effective);
    }

    public static CompiledRuleSet CompileOk(string text, CompileOptions? options = null, IReadOnlyDictionary<string, string>? files = null)
    {
        var compilation = Compile(text, options, files);
        Assert.True(compilation.Success, compilation.Render());
        return compilation.RuleSet!;
    }

    public static RuleEvent Order(string id, decimal amount, decimal items, string? coupon = null, string subject = "cust") =>
        new(id, "shop", "order.paid", subject, new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero), [id, amount, items, coupon]);
}
