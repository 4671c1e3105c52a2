using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Tests.Storage;

public sealed class InMemoryBillingStoreTests : BillingStoreContract
{
    protected override IBillingStore OpenStore() => new InMemoryBillingStore();

    // Memory lives as long as the instance: a "restart" of the in-memory store keeps the same instance.
    protected override IBillingStore ReopenStore(IBillingStore store) => store;
}
