using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RulesBilling.Engine.Payments;

/// <summary>Deterministic ids and idempotency keys for the outbox.</summary>
public static class SyncIds
{
    // Stripe accepts keys up to 255 characters.
    private const int MaxKeyLength = 255;

    public static string Record(string tenant, string invoiceId, int revision, SyncAction action) =>
        $"{tenant}:{invoiceId}:r{revision.ToString(CultureInfo.InvariantCulture)}:{(action == SyncAction.Push ? "push" : "void")}";

    /// <summary>
    /// <c>{tenant}:{invoice}:r{revision}:{step}</c>, plus <c>:g{n}</c> when a step's key had to be re-issued after a
    /// reconciling look-up. Too long keys keep a readable prefix and end in a hash of the whole.
    /// </summary>
    public static string IdempotencyKey(string tenant, string invoiceId, int revision, string step, int generation = 1)
    {
        var key = $"{tenant}:{invoiceId}:r{revision.ToString(CultureInfo.InvariantCulture)}:{step}";
        if (generation > 1) key += ":g" + generation.ToString(CultureInfo.InvariantCulture);
        if (key.Length <= MaxKeyLength) return key;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return key[..(MaxKeyLength - hash.Length - 1)] + "~" + hash;
    }

    /// <summary>A customer is created once per tenant and provider, whichever invoice gets there first.</summary>
    public static string CustomerKey(string tenant, string customer) => IdempotencyKey(tenant, "customer", 1, customer);
}
