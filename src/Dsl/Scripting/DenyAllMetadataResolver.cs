using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace RulesBilling.Dsl.Scripting;

/// <summary>Resolves no <c>#r</c> reference, so a script can never pull in an assembly of its choosing.</summary>
internal sealed class DenyAllMetadataResolver : MetadataReferenceResolver
{
    public static DenyAllMetadataResolver Instance { get; } = new();

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) => [];

    public override bool Equals(object? other) => other is DenyAllMetadataResolver;

    public override int GetHashCode() => nameof(DenyAllMetadataResolver).GetHashCode(StringComparison.Ordinal);
}
