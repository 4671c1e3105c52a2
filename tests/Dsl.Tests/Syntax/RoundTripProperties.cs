using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Tests.Syntax;

/// <summary>print ∘ parse is the identity on trees (spans aside), and no input makes the front end throw.</summary>
public class RoundTripProperties
{
    [Property(MaxTest = 300)]
    public Property Printed_expressions_parse_back_to_the_same_tree() =>
        Prop.ForAll(SyntaxGenerators.Expressions.ToArbitrary(), expression =>
        {
            var printed = RulePrinter.Print(expression);
            var result = RuleParser.ParseExpression(new SourceText("gen", printed));
            return (result.Diagnostics.Count == 0 && SyntaxNormalizer.StripSpans(result.Expression!).Equals(expression))
                .Label($"printed: {printed}\ndiagnostics: {string.Join("\n", result.Diagnostics.Select(d => d.Render()))}");
        });

    [Property(MaxTest = 200)]
    public Property Printed_files_parse_back_to_the_same_tree() =>
        Prop.ForAll(SyntaxGenerators.Files.ToArbitrary(), file =>
        {
            var printed = RulePrinter.Print(file);
            var result = RuleParser.Parse(new SourceText("gen.rules", printed));
            return (result.Diagnostics.Count == 0 && SyntaxNormalizer.StripSpans(result.File).Equals(file))
                .Label($"printed:\n{printed}\ndiagnostics: {string.Join("\n", result.Diagnostics.Select(d => d.Render()))}");
        });

    [Property(MaxTest = 300)]
    public Property Token_soups_give_a_tree_or_diagnostics_never_an_exception() =>
        Prop.ForAll(SyntaxGenerators.TokenSoup.ToArbitrary(), text => Consistent(text));

    [Property(MaxTest = 500)]
    public Property Random_strings_give_a_tree_or_diagnostics_never_an_exception() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text => Consistent(text ?? ""));

    /// <summary>
    /// Whatever the input: diagnostics are front-end errors inside the text and render; a clean parse prints
    /// to text that parses back to the same tree. An exception fails the property.
    /// </summary>
    private static bool Consistent(string text)
    {
        var source = new SourceText("soup.rules", text);
        var file = RuleParser.Parse(source);
        var expression = RuleParser.ParseExpression(source);
        foreach (var diagnostic in file.Diagnostics.Concat(expression.Diagnostics))
        {
            if (diagnostic.Code is not ("RB0001" or "RB0002" or "RB0003" or "RB0004" or "RB0005" or "RB0111" or "RB0112")) return false;
            if (diagnostic.Span.Start < 0 || diagnostic.Span.End > text.Length || diagnostic.Span.Start > diagnostic.Span.End) return false;
            if (!diagnostic.Render().StartsWith("soup.rules:", StringComparison.Ordinal)) return false;
        }

        if (expression.Diagnostics.Count == 0 != expression.Expression is not null) return false;
        if (file.Diagnostics.Count == 0)
        {
            var reparsed = RuleParser.Parse(new SourceText("printed.rules", RulePrinter.Print(file.File)));
            if (reparsed.Diagnostics.Count != 0 || !SyntaxNormalizer.StripSpans(reparsed.File).Equals(SyntaxNormalizer.StripSpans(file.File))) return false;
        }

        return true;
    }
}
