using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;
using ModelPriceList = RulesBilling.Dsl.Model.PriceList;

namespace RulesBilling.Dsl.Binding;

// `pricing growth extends launch { … }` (docs/dsl-spec.md §9.13): what the child declares replaces the parent's item of
// the same identity — base, minimum and cap as a whole; a charge by (outcome, filter); a guard by name — and
// everything else is inherited, in the parent's order, with the child's new charges and guards after it.
internal sealed partial class RuleSetBinder
{
    /// <summary>Replaces every extending pricing by its merged form; unknown parents (RB0412) and cycles (RB0413) break it.</summary>
    private void ResolveInheritance()
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in _pricings.Keys.ToArray()) Resolve(name, []);

        bool Resolve(string name, List<string> chain)
        {
            if (done.Contains(name)) return !_brokenPricings.Contains(name);
            var (own, located) = _pricings[name];
            if (located.Decl.Parent is not { } parent)
            {
                done.Add(name);
                return !_brokenPricings.Contains(name);
            }
            if (chain.IndexOf(name) is var at and >= 0)
            {
                var cycle = chain.Skip(at).Append(name).ToArray();
                var (_, first) = _pricings[cycle[0]];
                Error(first.Source, first.Decl.Parent!.Span, DiagnosticCodes.PricingInheritanceCycle,
                    $"pricing '{cycle[0]}' inherits from itself ({string.Join(" extends ", cycle.Select(c => $"'{c}'"))}); remove one 'extends' from the cycle");
                foreach (var member in cycle) { _brokenPricings.Add(member); done.Add(member); }
                return false;
            }
            if (!_pricings.ContainsKey(parent.Text))
            {
                Error(located.Source, parent.Span, DiagnosticCodes.UnknownParentPricing,
                    $"pricing '{name}' extends unknown pricing '{parent.Text}'{NameSuggestions.DidYouMean(parent.Text, _pricings.Keys.Where(k => k != name))}; declared pricings: {NameSuggestions.List(_pricings.Keys.Where(k => k != name))}");
                _brokenPricings.Add(name);
                done.Add(name);
                return false;
            }
            chain.Add(name);
            var parentOk = Resolve(parent.Text, chain);
            chain.RemoveAt(chain.Count - 1);
            if (done.Contains(name)) return false; // broken as part of a cycle found below
            done.Add(name);
            // A broken parent was reported where it is; the child only inherits the breakage.
            if (!parentOk) { _brokenPricings.Add(name); return false; }
            _pricings[name] = (Merge(_pricings[parent.Text].Pricing, own, located.Decl), located);
            return !_brokenPricings.Contains(name);
        }
    }

    private BoundPricing Merge(BoundPricing parent, BoundPricing own, PricingDecl decl)
    {
        var declares = decl.Items;
        var hasBase = declares.OfType<BaseItem>().Any();
        var charges = parent.Charges
            .Select(p => own.Charges.FirstOrDefault(c => ChargeKey(c) == ChargeKey(p)) ?? p)
            .Concat(own.Charges.Where(c => parent.Charges.All(p => ChargeKey(p) != ChargeKey(c))))
            .ToArray();
        var guards = parent.Guards
            .Select(p => own.Guards.FirstOrDefault(g => g.Name == p.Name) ?? p)
            .Concat(own.Guards.Where(g => parent.Guards.All(p => p.Name != g.Name)))
            .ToArray();
        var baseFee = hasBase ? own.BaseFee : parent.BaseFee;
        var minimum = declares.OfType<MinimumItem>().Any() ? own.Minimum : parent.Minimum;
        var cap = declares.OfType<CapItem>().Any() ? own.Cap : parent.Cap;
        return new BoundPricing(own.Name, baseFee, charges, minimum, cap, guards, CurrenciesOf(baseFee, minimum, cap, charges, guards))
        {
            BaseInAdvance = hasBase ? own.BaseInAdvance : parent.BaseInAdvance,
            Parent = parent.Name,
        };
    }

    /// <summary>Every currency the merged pricing prices in, as <see cref="BindPricing"/> collects them for a pricing declared whole.</summary>
    private string[] CurrenciesOf(ModelPriceList? baseFee, ModelPriceList? minimum, ModelPriceList? cap, BoundCharge[] charges, BoundGuard[] guards)
    {
        var lists = new List<ModelPriceList?> { baseFee, minimum, cap };
        lists.AddRange(guards.Select(g => g.CapAmount));
        var currencies = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var charge in charges)
        {
            lists.Add(charge.Cap);
            switch (charge.Model)
            {
                case UnitModel unit: lists.Add(unit.Price); break;
                case TieredModel tiered: lists.AddRange(tiered.Tiers.Select(t => t.Price)); break;
                case PackageModel package: lists.Add(package.Price); break;
                case PercentModel percent:
                    lists.Add(percent.Min);
                    lists.Add(percent.Max);
                    if (_outcomes.TryGetValue(charge.Outcome, out var outcome) && outcome.Value?.Type is { IsMoney: true, Currency: { } valueCurrency })
                        currencies.Add(valueCurrency);
                    break;
            }
        }
        foreach (var list in lists.OfType<ModelPriceList>()) currencies.UnionWith(list.Amounts.Keys);
        return currencies.ToArray();
    }

    /// <summary>A charge's identity across an <c>extends</c>: its outcome and its filter as written (spaces ignored).</summary>
    private static string ChargeKey(BoundCharge charge) =>
        charge.Outcome + "|" + (charge.Filter is null ? "" : Squeeze(charge.Source.Text[charge.Filter.Span.Start..charge.Filter.Span.End]));

    private static string ChargeKey(ChargeItem charge, SourceText source) =>
        charge.Outcome.Text + "|" + (charge.Where is null ? "" : Squeeze(source.Text[charge.Where.Span.Start..charge.Where.Span.End]));

    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>
    /// The pricing items in force for a (possibly extending) pricing with the file each was written in: its own items,
    /// then the inherited ones it does not replace. Contracts check currencies over these.
    /// </summary>
    private IEnumerable<(PricingItem Item, SourceText Source)> EffectiveItems(Located<PricingDecl> located)
    {
        var items = located.Decl.Items.Select(i => (Item: i, located.Source)).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal) { located.Decl.Name.Text };
        var current = located;
        while (current.Decl.Parent is { } parent && seen.Add(parent.Text) && _pricings.TryGetValue(parent.Text, out var found))
        {
            current = found.Decl;
            foreach (var item in current.Decl.Items)
            {
                var replaced = item switch
                {
                    BaseItem => items.Any(i => i.Item is BaseItem),
                    MinimumItem => items.Any(i => i.Item is MinimumItem),
                    CapItem => items.Any(i => i.Item is CapItem),
                    ChargeItem c => items.Any(i => i.Item is ChargeItem o && ChargeKey(o, i.Source) == ChargeKey(c, current.Source)),
                    GuardItem g => items.Any(i => i.Item is GuardItem o && o.Name.Text == g.Name.Text),
                    _ => false,
                };
                if (!replaced) items.Add((item, current.Source));
            }
        }
        return items;
    }
}
