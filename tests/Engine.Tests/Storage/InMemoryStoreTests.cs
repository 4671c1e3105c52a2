namespace RulesBilling.Engine.Tests.Storage;

public sealed class InMemoryEventStoreTests : EventStoreContract<InMemoryBackend>;

public sealed class InMemoryRejectionStoreTests : RejectionStoreContract<InMemoryBackend>;

public sealed class InMemoryInvoiceStoreTests : InvoiceStoreContract<InMemoryBackend>;

public sealed class InMemoryCreditStoreTests : CreditStoreContract<InMemoryBackend>;

public sealed class InMemoryStoreSessionTests : StoreSessionContract<InMemoryBackend>;
