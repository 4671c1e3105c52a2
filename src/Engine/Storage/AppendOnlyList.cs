namespace RulesBilling.Engine.Storage;

/// <summary>
/// An immutable list that one writer extends cheaply: every version shares one growing array and sees only its
/// first <see cref="Count"/> items, so an append costs a slot (8 bytes for a reference), not a tree node per item.
/// Safe because only one writer appends at a time (the in-memory store's write lock) and a version never reads
/// past its own count: an append from an older version (after a rolled-back transaction) overwrites slots no
/// published version can see. Readers on other threads get versions through a volatile publication.
/// </summary>
internal sealed class AppendOnlyList<T>
{
    public static readonly AppendOnlyList<T> Empty = new(new Shared([]), 0);

    private readonly Shared _shared;

    private AppendOnlyList(Shared shared, int count)
    {
        _shared = shared;
        Count = count;
    }

    public int Count { get; }

    /// <summary>This version plus <paramref name="item"/>. Call only under the writer's lock.</summary>
    public AppendOnlyList<T> Add(T item)
    {
        var items = _shared.Items;
        if (Count == items.Length)
        {
            // Old versions keep the old array; the new one is big enough for many more appends.
            Array.Resize(ref items, Math.Max(4, items.Length * 2));
            var grown = new Shared(items);
            grown.Items[Count] = item;
            return new AppendOnlyList<T>(grown, Count + 1);
        }
        items[Count] = item;
        return new AppendOnlyList<T>(_shared, Count + 1);
    }

    public ReadOnlySpan<T> AsSpan() => _shared.Items.AsSpan(0, Count);

    private sealed class Shared(T[] items)
    {
        public readonly T[] Items = items;
    }
}
