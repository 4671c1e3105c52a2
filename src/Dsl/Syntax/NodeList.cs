using System.Collections;

namespace RulesBilling.Dsl.Syntax;

/// <summary>An immutable list with structural equality, so AST records compare by value.</summary>
internal sealed class NodeList<T> : IReadOnlyList<T>, IEquatable<NodeList<T>>
{
    private readonly T[] _items;

    public NodeList(IEnumerable<T> items) => _items = items.ToArray();

    public static NodeList<T> Empty { get; } = new(Array.Empty<T>());

    public T this[int index] => _items[index];
    public int Count => _items.Length;
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(NodeList<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => Equals(obj as NodeList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }
}

internal static class NodeList
{
    public static NodeList<T> From<T>(IEnumerable<T> items) => new(items);
    public static NodeList<T> Of<T>(params T[] items) => new(items);
}
