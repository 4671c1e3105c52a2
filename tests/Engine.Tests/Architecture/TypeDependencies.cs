using Mono.Cecil;
using Mono.Cecil.Cil;

namespace RulesBilling.Engine.Tests.Architecture;

/// <summary>
/// Every type an assembly's types use, read from metadata and IL: base types, interfaces, attributes, field, property,
/// event and method signatures, locals, caught exceptions, and the types and members named by instructions. A
/// `using` that no code needs is not a dependency; a call through `var` is.
/// </summary>
internal sealed record TypeDependency(string FromNamespace, string FromType, string ToNamespace, string ToType);

internal static class TypeDependencies
{
    public static IReadOnlyList<TypeDependency> Of(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var found = new HashSet<TypeDependency>();
        foreach (var type in module.GetTypes())
        {
            var outer = Outermost(type);
            if (outer.Namespace.Length == 0)
                continue; // <Module>, <PrivateImplementationDetails>: compiler plumbing
            foreach (var used in UsedBy(type))
                foreach (var leaf in Leaves(used))
                {
                    var target = Outermost(leaf);
                    if (target.Namespace.Length > 0)
                        found.Add(new TypeDependency(outer.Namespace, outer.FullName, target.Namespace, target.FullName));
                }
        }
        return [.. found.OrderBy(d => d.FromType, StringComparer.Ordinal).ThenBy(d => d.ToType, StringComparer.Ordinal)];
    }

    private static IEnumerable<TypeReference> UsedBy(TypeDefinition type)
    {
        if (type.BaseType is not null)
            yield return type.BaseType;
        foreach (var i in type.Interfaces)
            yield return i.InterfaceType;
        foreach (var t in Attributes(type.CustomAttributes))
            yield return t;
        foreach (var t in Constraints(type.GenericParameters))
            yield return t;
        foreach (var field in type.Fields)
        {
            yield return field.FieldType;
            foreach (var t in Attributes(field.CustomAttributes))
                yield return t;
        }
        foreach (var property in type.Properties)
        {
            yield return property.PropertyType;
            foreach (var t in Attributes(property.CustomAttributes))
                yield return t;
        }
        foreach (var e in type.Events)
            yield return e.EventType;
        foreach (var method in type.Methods)
            foreach (var t in UsedBy(method))
                yield return t;
    }

    private static IEnumerable<TypeReference> UsedBy(MethodDefinition method)
    {
        yield return method.ReturnType;
        foreach (var p in method.Parameters)
            yield return p.ParameterType;
        foreach (var t in Attributes(method.CustomAttributes))
            yield return t;
        foreach (var t in Constraints(method.GenericParameters))
            yield return t;
        if (!method.HasBody)
            yield break;
        foreach (var v in method.Body.Variables)
            yield return v.VariableType;
        foreach (var h in method.Body.ExceptionHandlers)
            if (h.CatchType is not null)
                yield return h.CatchType;
        foreach (var instruction in method.Body.Instructions)
            foreach (var t in Operand(instruction))
                yield return t;
    }

    private static IEnumerable<TypeReference> Operand(Instruction instruction)
    {
        switch (instruction.Operand)
        {
            case TypeReference t:
                yield return t;
                break;
            case FieldReference f:
                yield return f.DeclaringType;
                yield return f.FieldType;
                break;
            case MethodReference m:
                yield return m.DeclaringType;
                yield return m.ReturnType;
                foreach (var p in m.Parameters)
                    yield return p.ParameterType;
                if (m is GenericInstanceMethod g)
                    foreach (var a in g.GenericArguments)
                        yield return a;
                break;
        }
    }

    private static IEnumerable<TypeReference> Attributes(IEnumerable<CustomAttribute> attributes) =>
        attributes.Select(a => a.AttributeType);

    private static IEnumerable<TypeReference> Constraints(IEnumerable<GenericParameter> parameters) =>
        parameters.SelectMany(p => p.Constraints).Select(c => c.ConstraintType);

    /// <summary>The named types inside a reference: `List&lt;Invoice&gt;[]` is List and Invoice.</summary>
    private static IEnumerable<TypeReference> Leaves(TypeReference type)
    {
        switch (type)
        {
            case GenericParameter:
                yield break;
            case GenericInstanceType g:
                foreach (var leaf in Leaves(g.ElementType))
                    yield return leaf;
                foreach (var a in g.GenericArguments)
                    foreach (var leaf in Leaves(a))
                        yield return leaf;
                break;
            case FunctionPointerType f:
                foreach (var leaf in Leaves(f.ReturnType).Concat(f.Parameters.SelectMany(p => Leaves(p.ParameterType))))
                    yield return leaf;
                break;
            case TypeSpecification s: // array, by-ref, pointer, modifiers
                foreach (var leaf in Leaves(s.ElementType))
                    yield return leaf;
                break;
            default:
                yield return type;
                break;
        }
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
            type = type.DeclaringType;
        return type;
    }
}
