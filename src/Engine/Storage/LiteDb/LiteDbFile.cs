using System.Globalization;
using LiteDB;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// How every reader and writer opens a store file, so they agree on it: direct mode (shared mode hangs, #2787),
/// an Ordinal collation (LiteDB's default is case-insensitive, which would merge ids "a" and "A"; LiteDB refuses a
/// file created with another collation), and a private, never-configured BsonMapper (the 5.0.21 mapper race, #2536).
/// </summary>
internal static class LiteDbFile
{
    public static LiteDatabase Open(string fullPath, bool readOnly = false) => new(
        new ConnectionString
        {
            Filename = fullPath,
            Connection = ConnectionType.Direct,
            ReadOnly = readOnly,
            Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
        },
        new BsonMapper());
}
