namespace RulesBilling.Dsl.Tests.Scripting;

public class ScriptSmokeTests
{
    [Fact]
    public void Inline_expression_script_is_a_when_condition()
    {
        var rules = ScriptRules.CompileOk(ScriptRules.Outcome(""""
              when script """ e.total > 10m && meta.Subject == "cust" """
            """"));
        var when = rules.Outcomes[0].Condition!;
        Assert.True(when(ScriptRules.Order("o1", 12m, 1m)));
        Assert.False(when(ScriptRules.Order("o2", 9m, 1m)));
    }
}
