using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Syntax;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Binding;

// Charges priced by a C# script (docs/dsl-spec.md §16).
internal sealed partial class RuleSetBinder
{
    private ScriptModel? BindScriptModel(ScriptChargeClause clause, SourceText source)
    {
        if (_scripts is not null) return _scripts.BindChargeModel(clause, source);
        Error(source, clause.Span, Scripting.ScriptCodes.NotAllowedHere, "a C# script cannot be used here");
        return null;
    }
}
