using static RulesBilling.Engine.Tests.Storage.StoreSamples;

namespace RulesBilling.Engine.Tests.Storage;

/// <summary>What every backend's <see cref="IRejectionStore"/> must do.</summary>
public abstract class RejectionStoreContract<TBackend> : StoreContract<TBackend> where TBackend : IStoreBackend, new()
{
    [Fact]
    public void Rejected_events_are_added_replaced_read_in_order_and_removed()
    {
        Store.AddRejected(Rejected("r-2") with { RejectedAt = T0.AddMinutes(1) });
        Store.AddRejected(Rejected("r-1"));
        Store.AddRejected(Rejected("r-1") with { Reason = "new reason", Attempts = 2 });
        Store.AddRejected(Rejected("r-3", tenant: "t2"));

        var rejected = Store.ReadRejected("t1");
        Assert.Equal(["r-1", "r-2"], rejected.Select(r => r.RejectionId));
        Assert.Equal(Rejected("r-1") with { Reason = "new reason", Attempts = 2 }, rejected[0]);

        Store.RemoveRejected("t1", "r-1");
        Store.RemoveRejected("t1", "never-there");
        Store.RemoveRejected("t1", "r-3");

        Assert.Equal(["r-2"], Store.ReadRejected("t1").Select(r => r.RejectionId));
        Assert.Equal(["r-3"], Store.ReadRejected("t2").Select(r => r.RejectionId));
    }
}
