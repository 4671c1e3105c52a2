using System.Security.Cryptography;
using System.Text;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Compilation;

/// <summary>Content hashes that identify a rule set, the file of each contract version and a compiled script (lower-case hex SHA-256).</summary>
internal static class SourceHashing
{
    /// <summary>SHA-256 of one file's UTF-8 text.</summary>
    public static string Of(SourceText source) => Of(source.Text);

    /// <summary>SHA-256 of <paramref name="text"/> as UTF-8, lower-case hex.</summary>
    public static string Of(string text) => Convert.ToHexStringLower(Digest(text));

    /// <summary>
    /// SHA-256 over the sorted SHA-256 digests of the files' contents. Declarations are global to a rule set, so
    /// its meaning is the set of its file contents: where the files sit and what they are called do not count, and
    /// the same rules checked out anywhere have the same hash (invoices stay byte-identical across machines).
    /// </summary>
    public static string Of(IEnumerable<SourceText> sources)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var digest in sources.Select(s => Digest(s.Text)).Order(ByteOrder.Instance))
        {
            hash.AppendData(digest);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static byte[] Digest(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
