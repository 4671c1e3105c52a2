using System.Reflection;
using System.Runtime.Loader;
using RulesBilling.Dsl.Model;

namespace RulesBilling.Dsl.Scripting;

/// <summary>
/// A collectible load context holding one script assembly, so evicting a script from the cache lets the runtime unload
/// it once no compiled rule set refers to it. The DSL assembly is shared with the host so facade types are the same.
/// </summary>
internal sealed class ScriptLoadContext(string name) : AssemblyLoadContext(name, isCollectible: true)
{
    private static readonly Assembly Dsl = typeof(RuleEvent).Assembly;

    protected override Assembly? Load(AssemblyName assemblyName) =>
        assemblyName.Name == Dsl.GetName().Name ? Dsl : null;
}
