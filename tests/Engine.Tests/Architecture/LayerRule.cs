using Mono.Cecil;

namespace RulesBilling.Engine.Tests.Architecture;

/// <summary>
/// What one assembly must not use: other assemblies by name (a reference the compiler kept) and namespaces (a type
/// used in code), each a prefix: "Microsoft.AspNetCore" forbids Microsoft.AspNetCore.Http too.
/// </summary>
internal sealed record LayerRule(string Assembly, IReadOnlyList<string> ForbiddenAssemblies, IReadOnlyList<string> ForbiddenNamespaces)
{
    public IReadOnlyList<string> Violations(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        return Violations([.. module.AssemblyReferences.Select(r => r.Name)], TypeDependencies.Of(assemblyPath));
    }

    public IReadOnlyList<string> Violations(IReadOnlyList<string> referencedAssemblies, IEnumerable<TypeDependency> dependencies) =>
    [
        .. referencedAssemblies.Where(r => Matches(r, ForbiddenAssemblies)).Order(StringComparer.Ordinal)
            .Select(r => $"{Assembly} references assembly {r}"),
        .. dependencies.Where(d => Matches(d.ToNamespace, ForbiddenNamespaces))
            .Select(d => $"{Assembly}: {d.FromType} uses {d.ToType}"),
    ];

    private static bool Matches(string name, IReadOnlyList<string> prefixes) =>
        prefixes.Any(p => name.Equals(p, StringComparison.Ordinal)
            || name.StartsWith(p + ".", StringComparison.Ordinal));
}
