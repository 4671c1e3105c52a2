using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// Compiles one script (the design of docs/dsl-spec.md §16): a regular C# compilation of a fixed template, no
/// directives and deny-all resolvers, the syntax guard and the semantic allowlist on the script's own code, then the
/// budget rewriter, emit to memory and load into a collectible context. Problems are reported, never thrown.
/// </summary>
internal static class ScriptCompiler
{
    private static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Regular);

    private static readonly CSharpCompilationOptions Options =
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithAllowUnsafe(false)
            .WithOverflowChecks(true)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithDeterministic(true)
            .WithConcurrentBuild(false)
            .WithMetadataReferenceResolver(DenyAllMetadataResolver.Instance)
            .WithSourceReferenceResolver(null)
            .WithXmlReferenceResolver(null)
            .WithStrongNameProvider(null);

    // Implementation assemblies are enough: references are not the sandbox, the allowlist is.
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return
        [
            .. new[] { typeof(object).Assembly.Location, Path.Join(runtime, "System.Runtime.dll"), typeof(Enumerable).Assembly.Location,
                       Path.Join(runtime, "System.Collections.dll"), typeof(RuleEvent).Assembly.Location }
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)),
        ];
    });

    public static ScriptBuild Compile(ScriptTemplate template, ScriptSurface surface, string assemblyName)
    {
        // The shape scan keeps trees small; this is the backstop should Roslyn's own stack guard still trip.
        try
        {
            return CompileChecked(template, surface, assemblyName);
        }
        catch (InsufficientExecutionStackException)
        {
            return TooDeep();
        }
    }

    public static ScriptBuild TooDeep() =>
        new(null, [new ScriptProblem(0, 0, ScriptCodes.TooComplex, "the script is nested too deeply for the C# compiler: simplify it")]);

    private static ScriptBuild CompileChecked(ScriptTemplate template, ScriptSurface surface, string assemblyName)
    {
        var user = new TextSpan(template.UserStart, template.UserLength);
        var tree = CSharpSyntaxTree.ParseText(template.Text, ParseOptions);
        if (!template.HasIntactShape(tree, surface))
        {
            return Refused(template, [(new TextSpan(template.UserStart, 0), ScriptCodes.CompileError,
                "the script must be the body of one function: its braces, quotes or comments are unbalanced")]);
        }

        var guard = ScriptSyntaxGuard.Check(tree.GetRoot(), user).Select(p => (p.Span, ScriptCodes.Forbidden, p.Message)).ToList();
        if (guard.Count > 0) return Refused(template, guard);

        var compilation = CSharpCompilation.Create(assemblyName, [tree], References.Value, Options);
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => (d.Location.SourceSpan, ScriptCodes.CompileError, $"C# {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"))
            .ToList();
        if (errors.Count > 0) return Refused(template, errors);

        var model = compilation.GetSemanticModel(tree);
        var run = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == ScriptTemplate.RunMethod);
        var forbidden = ScriptSemanticWalker.Check(model, run, user).Select(p => (p.Span, ScriptCodes.Forbidden, p.Message)).ToList();
        if (forbidden.Count > 0) return Refused(template, forbidden);

        var rewrittenBody = (BlockSyntax)new ScriptBudgetRewriter(model).Visit(run.Body!);
        var rewritten = tree.GetRoot().ReplaceNode(run.Body!, rewrittenBody);
        var budgeted = compilation.ReplaceSyntaxTree(tree, tree.WithRootAndOptions(rewritten, ParseOptions));

        using var image = new MemoryStream();
        var emitted = budgeted.Emit(image);
        if (!emitted.Success)
        {
            var reason = emitted.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error)?.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            return Refused(template, [(new TextSpan(template.UserStart, 0), ScriptCodes.CompileError, $"the script could not be compiled with its budget checks: {reason}")]);
        }

        image.Position = 0;
        var context = new ScriptLoadContext(assemblyName);
        var assembly = context.LoadFromStream(image);
        var method = assembly.GetType($"{ScriptTemplate.Namespace}.{ScriptTemplate.ScriptClass}")!.GetMethod(ScriptTemplate.EntryMethod)!;
        var delegateType = surface is EventSurface ? typeof(Func<RuleEvent, object?>) : typeof(Func<ChargeRatingInput, object?>);
        return new ScriptBuild(new CompiledScript(method.CreateDelegate(delegateType), context), []);
    }

    /// <summary>Maps spans of the generated text to the script's own code; anything outside it points at its start.</summary>
    private static ScriptBuild Refused(ScriptTemplate template, IEnumerable<(TextSpan Span, string Code, string Message)> problems)
    {
        var userEnd = template.UserStart + template.UserLength;
        var mapped = problems.Select(p =>
        {
            var inside = p.Span.Start >= template.UserStart && p.Span.Start <= userEnd;
            var start = inside ? p.Span.Start - template.UserStart : 0;
            var end = inside ? Math.Min(p.Span.End, userEnd) - template.UserStart : 0;
            return new ScriptProblem(start, Math.Max(start, end), p.Code, p.Message);
        });
        return new ScriptBuild(null, mapped.Distinct().ToArray());
    }
}
