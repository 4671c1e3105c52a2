namespace RulesBilling.Engine.Tests.Storage;

public sealed class PostgresEventStoreTests : EventStoreContract<PostgresBackend>;

public sealed class PostgresRejectionStoreTests : RejectionStoreContract<PostgresBackend>;

public sealed class PostgresInvoiceStoreTests : InvoiceStoreContract<PostgresBackend>;

public sealed class PostgresCreditStoreTests : CreditStoreContract<PostgresBackend>;

public sealed class PostgresStoreSessionTests : StoreSessionContract<PostgresBackend>;
