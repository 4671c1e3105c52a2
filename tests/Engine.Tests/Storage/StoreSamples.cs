using System.Text.Json;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>Builders for store records with awkward values: decimals at full precision and scale, non-UTC offsets, nulls.</summary>
internal static class StoreSamples
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static StoredEvent Event(
        string id, string tenant = "t1", string source = "src", string subject = "cust-1", int minute = 0, string data = """{"n":1}""") =>
        new(tenant, source, id, "call.completed", subject, T0.AddMinutes(minute), T0.AddHours(1), 0, data);

    public static Invoice Invoice(string id, string tenant = "t1", string customer = "cust-1", int month = 3) => new(
        id,
        "INV-000001",
        InvoiceKind.Invoice,
        null,
        tenant,
        customer,
        "standard",
        [1, 2],
        "USD",
        new DateTimeOffset(2026, month, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1),
        InvoiceStatus.Finalized,
        [
            new InvoiceLine(
                "line-1", LineKind.Charge, "resolved tickets", "tickets", "standard", 2, "abc123",
                // A non-UTC offset on purpose: stores keep the instant and normalize to UTC.
                new DateTimeOffset(2026, month, 1, 2, 0, 0, TimeSpan.FromHours(2)),
                new DateTimeOffset(2026, month, 15, 0, 0, 0, TimeSpan.Zero),
                1234.5000m,
                0.0000000000000000000000000001m,
                79228162514264337593543950335m,
                [new TierPart(0m, 100m, 100m, 1.10m, 110.00m), new TierPart(100m, null, 1134.5m, 0.9m, 1021.050m)],
                ["src/e1", "src/e2"],
                [new LineExclusion("src/e3", "duplicate-key", null), new LineExclusion("src/e4", "no-matching-charge", "region=eu")],
                [new Attribution("region", "eu", -12.345m), new Attribution("region", null, 0.00m)],
                null),
            new InvoiceLine(
                "line-2", LineKind.Base, "platform fee", "base", "standard", 2, "abc123",
                new DateTimeOffset(2026, month, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, month, 15, 0, 0, 0, TimeSpan.Zero),
                1m, null, 499.00m, [], [], [], [], "prorated 14/31"),
        ],
        1131.05m,
        100.10m,
        1030.95m,
        [new GuardFinding("margin-floor", "margin() < 20%", "alert", true, "margin 12.5%")],
        [new CreditApplication("grant-1", 100.10m)],
        "ruleset-hash");

    public static CreditGrant Grant(string id, string tenant = "t1", string customer = "cust-1", int day = 1, DateTimeOffset? expires = null) =>
        new(tenant, id, customer, "USD", 250.125m, 10, new DateTimeOffset(2026, 1, day, 9, 30, 0, TimeSpan.FromHours(-5)), expires, null);

    public static CreditLedgerEntry Ledger(string id, string tenant = "t1", string customer = "cust-1", decimal amount = -10.10m) =>
        new(tenant, id, customer, "grant-1", "USD", amount, 240.025m, "consume", "inv-1", T0.AddDays(3));

    public static RejectedEvent Rejected(string id, string tenant = "t1", string reason = "unknown event type 'x'") =>
        new(tenant, id, "src", "e9", "x", """{"id":"e9"}""", reason, T0, 1);

    /// <summary>Structural text of any record graph (records hold lists, which compare by reference).</summary>
    public static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
