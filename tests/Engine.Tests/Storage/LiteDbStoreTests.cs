namespace RulesBilling.Engine.Tests.Storage;

public sealed class LiteDbEventStoreTests : EventStoreContract<LiteDbBackend>;

public sealed class LiteDbRejectionStoreTests : RejectionStoreContract<LiteDbBackend>;

public sealed class LiteDbInvoiceStoreTests : InvoiceStoreContract<LiteDbBackend>;

public sealed class LiteDbCreditStoreTests : CreditStoreContract<LiteDbBackend>;

public sealed class LiteDbStoreSessionTests : StoreSessionContract<LiteDbBackend>;
