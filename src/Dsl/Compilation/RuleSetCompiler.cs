using RulesBilling.Dsl.Binding;
using RulesBilling.Dsl.Diagnostics;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Scripting;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Compilation;

/// <summary>
/// The DSL's entry point: parses, checks and compiles a rule set (all files together) into the model the engine runs.
/// Never throws for bad input: every problem is a <see cref="Diagnostic"/>.
/// </summary>
public static class RuleSetCompiler
{
    /// <summary>Compiles the given files. <see cref="RuleSetCompilation.RuleSet"/> is null when any error was found.</summary>
    public static RuleSetCompilation Compile(IReadOnlyList<SourceText> sources) => Compile(sources, CompileOptions.Default);

    /// <summary>Compiles the given files with <paramref name="options"/> (e.g. scripts enabled).</summary>
    public static RuleSetCompilation Compile(IReadOnlyList<SourceText> sources, CompileOptions options)
    {
        var ordered = sources.OrderBy(s => s.Path, StringComparer.Ordinal).ToArray();
        var diagnostics = new DiagnosticBag();
        var files = new List<(SourceText, RuleFile)>();
        foreach (var source in ordered)
        {
            var parsed = RuleParser.Parse(source);
            diagnostics.AddRange(parsed.Diagnostics);
            files.Add((source, parsed.File));
        }

        // A declaration with a syntax error is dropped by the parser; checking the rest would report every reference
        // to it as unknown, so semantic checks wait until the files parse.
        if (diagnostics.HasErrors) return new RuleSetCompilation(null, diagnostics.ToSortedList());

        var scripts = new ScriptBinder(options, diagnostics);
        var bound = RuleSetBinder.Bind(files, diagnostics, scripts);
        if (diagnostics.HasErrors) return new RuleSetCompilation(null, diagnostics.ToSortedList());
        // Referenced script files are part of the rule set's version: changing one changes the hash.
        return new RuleSetCompilation(ModelBuilder.Build(bound, [.. ordered, .. scripts.Files]), diagnostics.ToSortedList());
    }

    /// <summary>
    /// Compiles files and folders: a folder contributes all its <c>*.rules</c> files, recursively, in ordinal path order.
    /// A path that does not exist or cannot be read is reported as RB0006, not thrown.
    /// </summary>
    public static RuleSetCompilation CompilePaths(IEnumerable<string> paths) => CompilePaths(paths, CompileOptions.Default);

    /// <summary>
    /// Compiles files and folders with <paramref name="options"/>; <c>script "x.csx"</c> references are read from the
    /// referencing rule file's folder or below it (unless the options bring their own reader).
    /// </summary>
    public static RuleSetCompilation CompilePaths(IEnumerable<string> paths, CompileOptions options)
    {
        var sources = new List<SourceText>();
        var problems = new DiagnosticBag();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*.rules", SearchOption.AllDirectories)
                    .Select(f => Path.Join(path, Path.GetRelativePath(path, f)).Replace('\\', '/'))
                    .Order(StringComparer.Ordinal)
                    .ToArray();
                if (files.Length == 0) FileProblem(problems, path, $"folder '{path}' contains no *.rules files");
                foreach (var file in files) Read(file, sources, problems);
            }
            else if (File.Exists(path))
            {
                Read(path, sources, problems);
            }
            else
            {
                FileProblem(problems, path, $"no such file or folder '{path}'; pass a .rules file or a folder of them");
            }
        }
        if (problems.HasErrors) return new RuleSetCompilation(null, problems.ToSortedList());
        return Compile(sources, options.ScriptFiles is null ? options with { ScriptFiles = ScriptFileReader.NextToRuleFile } : options);
    }

    private static void Read(string path, List<SourceText> sources, DiagnosticBag problems)
    {
        try
        {
            sources.Add(SourceText.FromFile(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            FileProblem(problems, path, $"cannot read '{path}': {ex.Message}");
        }
    }

    private static void FileProblem(DiagnosticBag problems, string path, string message) =>
        problems.Error(new SourceText(path, ""), new TextSpan(0, 0), DiagnosticCodes.MissingFile, message);

    /// <summary>
    /// Evaluates <paramref name="expressionText"/> against <paramref name="evt"/>, an event of <paramref name="eventType"/>
    /// (its fields bound to that type's schema), as an outcome clause would. Optional results are allowed and shown as "absent".
    /// </summary>
    public static ExpressionEvaluation EvaluateExpression(CompiledRuleSet ruleSet, string eventType, string expressionText, RuleEvent evt)
    {
        var source = new SourceText("<expression>", expressionText);
        if (!ruleSet.Events.TryGetValue(eventType, out var schema))
        {
            var known = NameSuggestions.List(ruleSet.Events.Keys);
            return Failed(new Diagnostic(source, new TextSpan(0, expressionText.Length), DiagnosticSeverity.Error, DiagnosticCodes.UnknownEventType,
                $"unknown event type '{eventType}'{NameSuggestions.DidYouMean(eventType, ruleSet.Events.Keys)}; declared event types: {known}"));
        }

        var parsed = RuleParser.ParseExpression(source);
        if (parsed.Expression is null || parsed.Diagnostics.Count > 0) return new ExpressionEvaluation(null, null, parsed.Diagnostics);

        var diagnostics = new DiagnosticBag();
        var bound = new ExpressionBinder(source, diagnostics, new EventScope(schema)).BindMaybeAbsent(parsed.Expression);
        if (diagnostics.HasErrors) return new ExpressionEvaluation(null, null, diagnostics.ToSortedList());

        try
        {
            var value = ExpressionCompiler.CompileBoxed(bound, source)(evt);
            return new ExpressionEvaluation(ValueText.Format(value), bound.Type.ToString(), []);
        }
        catch (RuleEvaluationException ex)
        {
            var offset = Math.Clamp(ex.Location.Column - 1, 0, expressionText.Length);
            return Failed(new Diagnostic(source, new TextSpan(offset, expressionText.Length), DiagnosticSeverity.Error, ex.Code, ex.Reason));
        }
    }

    private static ExpressionEvaluation Failed(Diagnostic diagnostic) => new(null, null, [diagnostic]);
}
