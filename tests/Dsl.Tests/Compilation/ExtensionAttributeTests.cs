using RulesBilling.Dsl.Compilation;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Compilation;

/// <summary><c>event.ext.NAME</c>: a CloudEvents extension attribute, an optional string, in conditions and expressions.</summary>
public sealed class ExtensionAttributeTests
{
    private const string Rules = """
        event llm.call {
          call_id: string
        }

        outcome traced from llm.call {
          when has(event.ext.traceparent) and event.ext.traceparent != "" and (event.ext.sampled ?? "1") == "1"
          key call_id
          dimensions { region: event.ext.tenantregion ?? "us" }
        }
        """;

    private static OutcomeRule Traced()
    {
        var compilation = RuleSetCompiler.Compile([new SourceText("ext.rules", Rules)]);
        Assert.Equal("", compilation.Render());
        return Assert.Single(compilation.RuleSet!.Outcomes);
    }

    private static RuleEvent Call(params (string Name, string Value)[] extensions) =>
        new("c1", "agent", "llm.call", "acme", DateTimeOffset.UnixEpoch, ["C-1"])
        {
            Extensions = extensions.ToDictionary(e => e.Name, e => e.Value),
        };

    [Fact]
    public void A_condition_reads_an_extension_and_an_absent_one_is_null()
    {
        var rule = Traced();

        Assert.True(rule.Condition!(Call(("traceparent", "00-abc-def-01"))));
        Assert.False(rule.Condition!(Call()));
        Assert.False(rule.Condition!(Call(("traceparent", "00-abc-def-01"), ("sampled", "0"))));
    }

    [Fact]
    public void Coalescing_gives_the_default_only_when_the_extension_is_absent()
    {
        var region = Assert.Single(Traced().Dimensions);

        Assert.Equal("eu", region.Selector(Call(("tenantregion", "eu"))));
        Assert.Equal("us", region.Selector(Call()));
    }

    [Theory]
    [InlineData("event.ext", "event.ext needs an attribute name, such as event.ext.traceparent")]
    [InlineData("event.ext.Trace_Parent", "'Trace_Parent' cannot be a CloudEvents extension attribute; names are lower-case letters a-z and digits 0-9 (e.g. event.ext.traceparent)")]
    [InlineData("event.ext.subject", "'subject' is a CloudEvents context attribute, not an extension; read it as event.subject")]
    [InlineData("event.id.x", "event.id has no attributes; extension attributes are read as event.ext.NAME")]
    public void A_bad_form_is_RB0110_with_a_caret_under_it(string expression, string message)
    {
        var text = $$"""
            event llm.call {
              call_id: string
            }

            outcome o from llm.call {
              key {{expression}} ?? call_id
            }
            """;

        var compilation = RuleSetCompiler.Compile([new SourceText("bad.rules", text)]);

        var diagnostic = Assert.Single(compilation.Diagnostics);
        Assert.Equal("RB0110", diagnostic.Code);
        var rendered = diagnostic.Render();
        Assert.StartsWith($"bad.rules:6:7: error RB0110: {message}", rendered, StringComparison.Ordinal);
        // The source line is echoed indented by two more spaces; the caret underlines exactly the bad form.
        var caret = "\n" + new string(' ', 8) + new string('^', expression.Length);
        Assert.Contains(caret, rendered, StringComparison.Ordinal);
        Assert.DoesNotContain(caret + "^", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void An_extension_used_where_a_present_value_is_needed_is_RB0204()
    {
        var text = """
            event llm.call {
              call_id: string
            }

            outcome o from llm.call {
              key event.ext.traceparent
            }
            """;

        var compilation = RuleSetCompiler.Compile([new SourceText("opt.rules", text)]);

        var diagnostic = Assert.Single(compilation.Diagnostics);
        Assert.Equal("RB0204", diagnostic.Code);
        Assert.Contains("event.ext.traceparent ?? \"\"", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Has_of_an_envelope_attribute_that_is_always_present_is_RB0201()
    {
        var text = """
            event llm.call {
              call_id: string
            }

            outcome o from llm.call {
              when has(event.id)
              key call_id
            }
            """;

        var diagnostic = Assert.Single(RuleSetCompiler.Compile([new SourceText("has.rules", text)]).Diagnostics);

        Assert.Equal(("RB0201", "event.id is always present; has() tests an optional field or an extension attribute event.ext.NAME"), (diagnostic.Code, diagnostic.Message));
    }
}
