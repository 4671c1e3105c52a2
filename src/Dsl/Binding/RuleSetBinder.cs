using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Binding;

/// <summary>
/// Checks a whole rule set (all files together: names are global) and produces the bound declarations.
/// Declarations are resolved in dependency order — events, outcomes, costs, pricings, contracts — and every
/// check of docs/dsl-spec.md reports into one <see cref="DiagnosticBag"/>; nothing stops at the first problem.
/// </summary>
internal sealed partial class RuleSetBinder
{
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, EventSchema> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Located<OutcomeDecl>> _outcomeDecls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BoundOutcome> _outcomes = new(StringComparer.Ordinal);
    private readonly List<BoundCost> _costs = [];
    private readonly Dictionary<string, (BoundPricing Pricing, Located<PricingDecl> Decl)> _pricings = new(StringComparer.Ordinal);
    private readonly HashSet<string> _brokenPricings = new(StringComparer.Ordinal);

    private readonly Scripting.ScriptBinder? _scripts;

    private RuleSetBinder(DiagnosticBag diagnostics, Scripting.ScriptBinder? scripts)
    {
        _diagnostics = diagnostics;
        _scripts = scripts;
    }

    /// <summary>A declaration together with the file it came from.</summary>
    private sealed record Located<T>(T Decl, SourceText Source) where T : Declaration;

    /// <summary>Binds the files (expected in path order, so declaration order across files is stable).</summary>
    public static BoundRuleSet Bind(IReadOnlyList<(SourceText Source, RuleFile File)> files, DiagnosticBag diagnostics, Scripting.ScriptBinder? scripts = null)
    {
        var binder = new RuleSetBinder(diagnostics, scripts);
        var all = files.SelectMany(f => f.File.Declarations.Select(d => (Decl: d, f.Source))).ToArray();

        var events = binder.Unique(all.Where(d => d.Decl is EventDecl), "event");
        var outcomes = binder.Unique(all.Where(d => d.Decl is OutcomeDecl), "outcome");
        var costs = binder.Unique(all.Where(d => d.Decl is CostDecl), "cost");
        var pricings = binder.Unique(all.Where(d => d.Decl is PricingDecl), "pricing");

        var schemas = events.Select(e => binder.BindEvent((EventDecl)e.Decl, e.Source)).ToArray();
        foreach (var outcome in outcomes) binder._outcomeDecls[outcome.Decl.Name.Text] = new((OutcomeDecl)outcome.Decl, outcome.Source);
        var boundOutcomes = outcomes.Select(o => binder.BindOutcome((OutcomeDecl)o.Decl, o.Source)).OfType<BoundOutcome>().ToArray();
        foreach (var cost in costs)
        {
            if (binder.BindCost((CostDecl)cost.Decl, cost.Source) is { } bound) binder._costs.Add(bound);
        }
        foreach (var pricing in pricings) binder.BindPricing(new((PricingDecl)pricing.Decl, pricing.Source));
        binder.ResolveInheritance();
        var features = binder.Unique(all.Where(d => d.Decl is FeatureDecl), "feature");
        foreach (var feature in features) binder.BindFeature((FeatureDecl)feature.Decl, feature.Source);
        foreach (var coupon in binder.Unique(all.Where(d => d.Decl is CouponDecl), "coupon")) binder.BindCoupon((CouponDecl)coupon.Decl, coupon.Source);
        foreach (var tax in binder.Unique(all.Where(d => d.Decl is TaxDecl), "tax")) binder.BindTax((TaxDecl)tax.Decl, tax.Source);
        var contractDecls = all.Where(d => d.Decl is ContractDecl).Select(d => new Located<ContractDecl>((ContractDecl)d.Decl, d.Source)).ToArray();
        var contracts = binder.BindContracts(contractDecls);
        var grants = binder.BindFeatureGrants(contractDecls, contracts, features.Select(f => f.Decl.Name.Text).ToHashSet(StringComparer.Ordinal));

        return new BoundRuleSet(schemas, boundOutcomes, binder._costs, binder._pricings.Values.Select(p => p.Pricing).ToArray(), contracts)
        {
            Features = binder._features,
            FeatureGrants = grants,
        };
    }

    /// <summary>Keeps the first declaration of each name of one kind and reports the others (RB0103).</summary>
    private List<(Declaration Decl, SourceText Source)> Unique(IEnumerable<(Declaration Decl, SourceText Source)> declarations, string kind)
    {
        var first = new Dictionary<string, (Declaration Decl, SourceText Source)>(StringComparer.Ordinal);
        var kept = new List<(Declaration, SourceText)>();
        foreach (var (decl, source) in declarations)
        {
            if (first.TryGetValue(decl.Name.Text, out var earlier))
            {
                Error(source, decl.Name.Span, DiagnosticCodes.DuplicateDeclaration,
                    $"{kind} '{decl.Name.Text}' is already declared at {Where(earlier.Source, earlier.Decl.Name.Span)}; rename or remove one of them");
                continue;
            }
            first[decl.Name.Text] = (decl, source);
            kept.Add((decl, source));
        }
        return kept;
    }

    private EventSchema BindEvent(EventDecl decl, SourceText source)
    {
        var fields = new List<FieldSchema>();
        foreach (var field in decl.Fields)
        {
            if (fields.Find(f => f.Name == field.Name.Text) is { } earlier)
            {
                Error(source, field.Name.Span, DiagnosticCodes.DuplicateDeclaration,
                    $"field '{field.Name.Text}' is declared twice in event '{decl.Name.Text}'; remove one of them");
                continue;
            }
            if (field.Type.Kind == FieldTypeKind.Money && !Currencies.IsKnown(field.Type.Currency ?? ""))
            {
                Error(source, field.Type.Span, DiagnosticCodes.UnknownCurrency, ExpressionBinder.UnknownCurrencyMessage(field.Type.Currency ?? ""));
            }
            fields.Add(new FieldSchema(field.Name.Text, FieldTypes.ToModel(field.Type.Kind), field.Optional, fields.Count,
                field.Type.Kind == FieldTypeKind.Money ? field.Type.Currency : null));
        }
        var schema = new EventSchema(decl.Name.Text, fields);
        _events[schema.Name] = schema;
        return schema;
    }

    private EventSchema? LookupEvent(Identifier name, SourceText source)
    {
        if (_events.TryGetValue(name.Text, out var schema)) return schema;
        Error(source, name.Span, DiagnosticCodes.UnknownEventType,
            $"unknown event type '{name.Text}'{NameSuggestions.DidYouMean(name.Text, _events.Keys)}; declare it with 'event {name.Text} {{ ... }}'");
        return null;
    }

    /// <summary>
    /// Reports every clause kind that appears more than once (RB0109) and returns the first of each kind.
    /// </summary>
    private Dictionary<Type, Clause> SingleClauses(IEnumerable<Clause> clauses, string owner, SourceText source)
    {
        var first = new Dictionary<Type, Clause>();
        foreach (var clause in clauses)
        {
            if (!first.TryAdd(clause.GetType(), clause))
            {
                var keyword = Keyword(clause);
                var hint = clause is WhenClause ? " (combine the conditions with 'and')" : clause is DimensionsClause ? " (list all dimensions in one block)" : "";
                Error(source, clause.Span, DiagnosticCodes.DuplicateClause,
                    $"{owner} already has a '{keyword}' clause at {Where(source, first[clause.GetType()].Span)}; keep only one{hint}");
            }
        }
        return first;
    }

    private static string Keyword(Clause clause) => clause switch
    {
        WhenClause => "when",
        KeyClause => "key",
        QuantityClause => "quantity",
        ValueClause => "value",
        HoldClause => "hold",
        DisqualifiedClause => "disqualified",
        DimensionsClause => "dimensions",
        SplitClause => "split",
        AmountClause => "amount",
        LabelClause => "label",
        DescriptionClause => "description",
        _ => "for",
    };

    private static T? Get<T>(Dictionary<Type, Clause> clauses) where T : Clause =>
        clauses.TryGetValue(typeof(T), out var clause) ? (T)clause : null;

    /// <summary>Binds a <c>dimensions { … }</c> block: string values (absent allowed), names unique.</summary>
    private List<BoundDimension> BindDimensions(DimensionsClause? clause, ExpressionBinder? binder, string owner, SourceText source)
    {
        var result = new List<BoundDimension>();
        if (clause is null) return result;
        var seen = new Dictionary<string, DimensionEntry>(StringComparer.Ordinal);
        foreach (var entry in clause.Entries)
        {
            if (!seen.TryAdd(entry.Name.Text, entry))
            {
                Error(source, entry.Name.Span, DiagnosticCodes.DuplicateDeclaration,
                    $"dimension '{entry.Name.Text}' appears twice in {owner}; remove one of them");
                continue;
            }
            if (binder is null) continue;
            var value = binder.BindClause(entry.Value, RuleType.String.AsOptional());
            if (binder.Expect(value, t => t.Kind == TypeKind.String, $"dimension '{entry.Name.Text}'", "a string"))
                result.Add(new BoundDimension(entry.Name.Text, value));
        }
        return result;
    }

    /// <summary>A key or key selector must be a string or a number (formatted invariantly).</summary>
    private static bool IsKeyType(RuleType t) => t.Kind is TypeKind.String || t.IsNumber;

    private void Error(SourceText source, TextSpan span, string code, string message) => _diagnostics.Error(source, span, code, message);

    private static string Where(SourceText source, TextSpan span)
    {
        var (line, column) = source.GetLineColumn(span.Start);
        return $"{source.Path}:{line}:{column}";
    }
}
