using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using RulesBilling.Dsl.Text;

namespace RulesBilling.Dsl.Compilation;

/// <summary>Content hashes that identify a rule set and the file of each contract version (lower-case hex SHA-256).</summary>
internal static class SourceHashing
{
    /// <summary>SHA-256 of one file's UTF-8 text.</summary>
    public static string Of(SourceText source) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source.Text)));

    /// <summary>
    /// SHA-256 over the files sorted by path (ordinal): for each, the UTF-8 path, a NUL, the byte length of the
    /// content as 8 little-endian bytes, then the content — length-prefixed so no two rule sets share a byte stream.
    /// </summary>
    public static string Of(IEnumerable<SourceText> sources)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var source in sources.OrderBy(s => s.Path, StringComparer.Ordinal))
        {
            var content = Encoding.UTF8.GetBytes(source.Text);
            hash.AppendData(Encoding.UTF8.GetBytes(source.Path));
            hash.AppendData([0]);
            var length = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(length, content.Length);
            hash.AppendData(length);
            hash.AppendData(content);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
