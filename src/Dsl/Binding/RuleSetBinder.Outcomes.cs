using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Binding;

// Outcome and cost declarations.
internal sealed partial class RuleSetBinder
{
    private BoundOutcome? BindOutcome(OutcomeDecl decl, SourceText source)
    {
        var owner = $"outcome '{decl.Name.Text}'";
        var clauses = SingleClauses(decl.Clauses, owner, source);
        var schema = LookupEvent(decl.EventType, source);
        var binder = schema is null ? null : new ExpressionBinder(source, _diagnostics, new EventScope(schema), _scripts);

        var keyClause = Get<KeyClause>(clauses);
        var hold = Get<HoldClause>(clauses);
        if (hold is not null && keyClause is null)
        {
            Error(source, hold.Span, DiagnosticCodes.HoldNeedsKey,
                $"{owner} has 'hold' but no 'key'; a reversal is matched by key, so add e.g. 'key ticket_id'");
        }

        var disqualified = Get<DisqualifiedClause>(clauses);
        if (disqualified is not null && keyClause is null)
        {
            Error(source, disqualified.Span, OutcomeDiagnosticCodes.DisqualificationNeedsKey,
                $"{owner} has 'disqualified by' but no 'key'; a disqualification is matched by key, so add e.g. 'key lead_id'");
        }

        var dimensionsClause = Get<DimensionsClause>(clauses);
        var dimensions = BindDimensions(dimensionsClause, binder, owner, source);
        var split = BindSplit(Get<SplitClause>(clauses), dimensionsClause, binder, owner, source);
        if (binder is null || schema is null) return null;

        var when = Get<WhenClause>(clauses) is { } w ? binder.BindClause(w.Condition, RuleType.Bool) : null;
        if (when is not null) binder.Expect(when, t => t.Kind == TypeKind.Bool, "the 'when' condition", "bool");
        var key = keyClause is null ? null : binder.BindClause(keyClause.Key, RuleType.String);
        if (key is not null) binder.Expect(key, IsKeyType, "the 'key'", "a string or a number");
        var quantity = Get<QuantityClause>(clauses) is { } q ? binder.BindClause(q.Quantity, RuleType.Decimal) : null;
        if (quantity is not null) binder.Expect(quantity, t => t.IsNumber, "the 'quantity'", "a decimal number");
        var value = Get<ValueClause>(clauses) is { } v ? binder.BindClause(v.Value, null) : null;
        if (value is not null) binder.Expect(value, t => t.IsMoney, "the 'value'", "money (e.g. order_total or 25 USD)");

        BoundHold? boundHold = null;
        if (hold is not null && LookupEvent(hold.ReversingEvent, source) is { } reversing)
        {
            var onBinder = new ExpressionBinder(source, _diagnostics, new EventScope(reversing), _scripts);
            var on = onBinder.BindClause(hold.On, RuleType.String);
            if (onBinder.Expect(on, IsKeyType, "the reversal key after 'on'", "a string or a number"))
            {
                CheckKeyMatches(key, on, source, $"the reversal key of {owner}");
                boundHold = new BoundHold(hold.Window.ToTimeSpan(), reversing, on);
            }
        }

        BoundDisqualification? disqualification = null;
        if (disqualified is not null && LookupEvent(disqualified.DisqualifyingEvent, source) is { } disqualifying)
        {
            var onBinder = new ExpressionBinder(source, _diagnostics, new EventScope(disqualifying), _scripts);
            var on = onBinder.BindClause(disqualified.On, RuleType.String);
            var where = disqualified.Where is { } condition ? onBinder.BindClause(condition, RuleType.Bool) : null;
            var whereOk = where is null || onBinder.Expect(where, t => t.Kind == TypeKind.Bool, "the condition after 'where'", "bool");
            if (onBinder.Expect(on, IsKeyType, "the disqualified key after 'on'", "a string or a number") && whereOk)
            {
                CheckKeyMatches(key, on, source, $"the disqualified key of {owner}");
                disqualification = new BoundDisqualification(disqualifying, on, where);
            }
        }

        var bound = new BoundOutcome(decl.Name.Text, schema, source, decl.Name.Span, when, key, keyClause?.Within?.ToTimeSpan(),
            quantity, value, boundHold, dimensions, split)
        {
            Disqualification = disqualification,
            Label = BindText(Get<LabelClause>(clauses)?.Text, false, owner, source),
            Description = BindText(Get<DescriptionClause>(clauses)?.Text, true, owner, source),
        };
        _outcomes[bound.Name] = bound;
        return bound;
    }

    /// <summary>A string key never equals a number formatted as text by accident: both sides must agree.</summary>
    private void CheckKeyMatches(BoundExpr? outcomeKey, BoundExpr selector, SourceText source, string role)
    {
        if (outcomeKey is null || outcomeKey.Type.IsError || selector.Type.IsError) return;
        if (outcomeKey.Type.IsNumber == selector.Type.IsNumber) return;
        Error(source, selector.Span, DiagnosticCodes.TypeMismatch,
            $"{role} is {selector.Type} but the outcome key is {outcomeKey.Type}; both must be strings or both numbers");
    }

    private BoundSplit? BindSplit(SplitClause? split, DimensionsClause? dimensions, ExpressionBinder? binder, string owner, SourceText source)
    {
        if (split is null) return null;
        var ok = true;
        if (dimensions?.Entries.FirstOrDefault(e => e.Name.Text == split.Dimension.Text) is { } same)
        {
            Error(source, split.Dimension.Span, DiagnosticCodes.SplitDuplicatesDimension,
                $"split dimension '{split.Dimension.Text}' is also declared in 'dimensions' at {Where(source, same.Span)}; remove it from one of them");
            ok = false;
        }
        var total = 0m;
        foreach (var share in split.Shares)
        {
            total += share.Share.Percent;
            if (share.Share.Percent <= 0m)
            {
                Error(source, share.Share.Span, DiagnosticCodes.SplitNotWhole, $"every split share must be more than 0%; remove this share");
                ok = false;
            }
        }
        if (total != 100m)
        {
            Error(source, split.Span, DiagnosticCodes.SplitNotWhole,
                $"the shares of split '{split.Dimension.Text}' in {owner} add up to {total.ToString(System.Globalization.CultureInfo.InvariantCulture)}%; they must add up to exactly 100%");
            ok = false;
        }
        var shares = new List<BoundSplitShare>();
        foreach (var share in split.Shares)
        {
            if (binder is null) continue;
            var target = binder.BindClause(share.Target, RuleType.String.AsOptional());
            if (binder.Expect(target, t => t.Kind == TypeKind.String, "a split target", "a string")) shares.Add(new BoundSplitShare(share.Share.Percent / 100m, target));
            else ok = false;
        }
        return ok && binder is not null ? new BoundSplit(split.Dimension.Text, shares) : null;
    }

    private BoundCost? BindCost(CostDecl decl, SourceText source)
    {
        var owner = $"cost '{decl.Name.Text}'";
        var clauses = SingleClauses(decl.Clauses, owner, source);
        var schema = LookupEvent(decl.EventType, source);
        var binder = schema is null ? null : new ExpressionBinder(source, _diagnostics, new EventScope(schema), _scripts);
        var amountClause = Get<AmountClause>(clauses);
        if (amountClause is null)
        {
            Error(source, decl.Name.Span, DiagnosticCodes.MissingClause,
                $"{owner} has no 'amount' clause; add one, e.g. 'amount tokens * 0.000002 USD'");
        }

        var forClause = Get<ForClause>(clauses);
        BoundOutcome? outcome = null;
        if (forClause is not null && !_outcomes.TryGetValue(forClause.Outcome.Text, out outcome) && !_outcomeDecls.ContainsKey(forClause.Outcome.Text))
        {
            Error(source, forClause.Outcome.Span, DiagnosticCodes.UnknownOutcome, UnknownOutcomeMessage(forClause.Outcome.Text));
        }
        var dimensions = BindDimensions(Get<DimensionsClause>(clauses), binder, owner, source);
        if (binder is null || schema is null) return null;

        var when = Get<WhenClause>(clauses) is { } w ? binder.BindClause(w.Condition, RuleType.Bool) : null;
        if (when is not null) binder.Expect(when, t => t.Kind == TypeKind.Bool, "the 'when' condition", "bool");
        var amount = amountClause is null ? null : binder.BindClause(amountClause.Amount, null);
        if (amount is not null) binder.Expect(amount, t => t.IsMoney, "the cost 'amount'", "money (e.g. tokens * 0.000002 USD)");
        var key = forClause?.On is { } on ? binder.BindClause(on, RuleType.String) : null;
        if (key is not null && binder.Expect(key, IsKeyType, "the outcome key after 'on'", "a string or a number"))
            CheckKeyMatches(outcome?.Key, key, source, $"the key of {owner}");

        if (amount is null || amount.Type.IsError) return null;
        return new BoundCost(decl.Name.Text, schema, source, decl.Name.Span, when, amount, forClause?.Outcome.Text, key, dimensions);
    }

    private string UnknownOutcomeMessage(string name) =>
        $"unknown outcome '{name}'{NameSuggestions.DidYouMean(name, _outcomeDecls.Keys)}; declared outcomes: {NameSuggestions.List(_outcomeDecls.Keys)}";
}
