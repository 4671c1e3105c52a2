using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests;

public class SourceTextTests
{
    [Fact]
    public void Line_and_column_are_one_based()
    {
        var text = new SourceText("a.rules", "ab\ncd");
        Assert.Equal((2, 2), text.GetLineColumn(4));
        Assert.Equal("cd", text.GetLine(2));
    }
}
