using System.Globalization;
using static RulesBilling.Engine.Tests.Storage.StoreSamples;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>What every backend's <see cref="ICreditStore"/> must do: grants round trip, replace by id and list in order; the ledger keeps append order and is append-only.</summary>
public abstract class CreditStoreContract<TBackend> : StoreContract<TBackend> where TBackend : IStoreBackend, new()
{
    [Fact]
    public void Grants_round_trip_and_list_per_customer_by_granted_time_then_id()
    {
        var expiring = Grant("g-2", day: 1, expires: new DateTimeOffset(2026, 6, 30, 23, 59, 59, TimeSpan.FromHours(1)));
        Store.SaveGrant(Grant("g-3", day: 2));
        Store.SaveGrant(expiring);
        Store.SaveGrant(Grant("g-1", day: 1) with { Description = "welcome credit" });
        Store.SaveGrant(Grant("g-9", customer: "cust-2"));

        var grants = Store.ListGrants("t1", "cust-1");

        Assert.Equal(["g-1", "g-2", "g-3"], grants.Select(g => g.Id));
        Assert.Equal(expiring.ExpiresAt, grants[1].ExpiresAt);
        Assert.Equal(TimeSpan.Zero, grants[1].ExpiresAt!.Value.Offset);
        Assert.Null(grants[2].ExpiresAt);
        Assert.Equal("welcome credit", grants[0].Description);
        Assert.Null(grants[1].Description);
        Assert.Equal("250.125", grants[0].Amount.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(expiring with { GrantedAt = expiring.GrantedAt.ToUniversalTime(), ExpiresAt = expiring.ExpiresAt!.Value.ToUniversalTime() }, grants[1]);
    }

    [Fact]
    public void SaveGrant_replaces_the_grant_with_the_same_id()
    {
        Store.SaveGrant(Grant("g-1"));
        Store.SaveGrant(Grant("g-1") with { Amount = 1.50m });

        Assert.Equal([1.50m], Store.ListGrants("t1", "cust-1").Select(g => g.Amount));
    }

    [Fact]
    public void Ledger_keeps_append_order_and_refuses_a_second_entry_with_the_same_id()
    {
        Store.AppendLedger(Ledger("l-2", amount: 300m));
        Store.AppendLedger(Ledger("l-1", amount: -0.01m));
        Store.AppendLedger(Ledger("l-3", customer: "cust-2"));

        var error = Assert.Throws<InvalidOperationException>(() => Store.AppendLedger(Ledger("l-2", amount: 1m)));

        Assert.Contains("l-2", error.Message);
        var ledger = Store.ReadLedger("t1", "cust-1");
        Assert.Equal(["l-2", "l-1"], ledger.Select(e => e.Id));
        Assert.Equal("-0.01", ledger[1].Amount.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Ledger("l-1", amount: -0.01m), ledger[1]);
    }
}
