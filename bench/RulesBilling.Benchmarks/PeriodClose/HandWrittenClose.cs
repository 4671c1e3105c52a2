using System.Globalization;
using System.Text.Json;
using LiteDB;
using RulesBilling.Benchmarks.Workload;

namespace RulesBilling.Benchmarks.PeriodClose;

/// <summary>
/// The floor: one streaming pass over the stored event documents, the outcome predicate and quantity written by
/// hand, tokens summed per customer, then each customer's three pricing plans applied by hand with the same
/// rounding (each line half-up to cents). It skips what the engine must do but this data never needs: key dedup
/// (task ids are unique), holds, dimensions, explanations, and storing the invoices.
/// </summary>
internal static class HandWrittenClose
{
    public static void Run(string database, int customers, decimal[] totals)
    {
        var tokens = new decimal[customers];
        var billed = new bool[customers];
        using (var db = new LiteDatabase(new ConnectionString
        {
            Filename = database,
            Connection = ConnectionType.Direct,
            Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
        }, new BsonMapper()))
        {
            foreach (var doc in db.GetCollection("events").FindAll())
            {
                var customer = int.Parse(doc["subject"].AsString.AsSpan(5), CultureInfo.InvariantCulture);
                billed[customer] = true;
                using var data = JsonDocument.Parse(doc["data"].AsString);
                var root = data.RootElement;
                var csat = root.TryGetProperty("csat", out var c) ? c.GetDecimal() : 5m;
                if (root.GetProperty("status").GetString() == "closed" && csat >= 4m && !root.GetProperty("escalated").GetBoolean())
                {
                    tokens[customer] += root.GetProperty("tokens").GetDecimal();
                }
            }
        }

        var third = customers / 3;
        for (var c = 0; c < customers; c++)
        {
            if (!billed[c]) continue;
            totals[c] = c < third ? Growth(tokens[c]) : c < 2 * third ? Enterprise(tokens[c]) : Standard(tokens[c]);
        }
    }

    private static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    private static decimal Standard(decimal q)
    {
        var billed = Math.Max(q - 1000m, 0m);
        var usage = Math.Min(billed, 100000m) * 0.002m + Math.Min(Math.Max(billed - 100000m, 0m), 900000m) * 0.0015m + Math.Max(billed - 1000000m, 0m) * 0.001m;
        return 49m + Round(usage);
    }

    private static decimal Growth(decimal q)
    {
        var usage = Round(q == 0m ? 0m : q <= 500000m ? q * 0.0018m : q * 0.0012m);
        return 199m + usage + (usage < 250m ? 250m - usage : 0m);
    }

    private static decimal Enterprise(decimal q) => Round(Math.Min(q * 0.001m, 5000m));
}
