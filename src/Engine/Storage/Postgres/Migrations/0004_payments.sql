-- RulesBilling schema, version 4: the payments module (IPaymentStore). Rows are written through the billing store's
-- connection, so an outbox row inserted while an invoice is finalized commits or rolls back with that invoice.
-- Each record is kept whole as JSON (the same serialization as the LiteDB backend) beside the columns queried.
CREATE TABLE IF NOT EXISTS pay_accounts (
    tenant   text  NOT NULL,
    provider text  NOT NULL,
    record   jsonb NOT NULL,
    PRIMARY KEY (tenant, provider)
);

CREATE TABLE IF NOT EXISTS pay_settings (
    tenant   text  NOT NULL,
    customer text  NOT NULL,
    record   jsonb NOT NULL,
    PRIMARY KEY (tenant, customer)
);

CREATE TABLE IF NOT EXISTS pay_customers (
    tenant   text  NOT NULL,
    provider text  NOT NULL,
    customer text  NOT NULL,
    record   jsonb NOT NULL,
    PRIMARY KEY (tenant, provider, customer)
);

-- The outbox. Several nodes run the sync worker; each record is claimed (claims table, kind 'sync') before it is
-- worked on, so one node at a time talks to the provider about it.
CREATE TABLE IF NOT EXISTS pay_sync (
    id               text   PRIMARY KEY,
    tenant           text   NOT NULL,
    created_at_ticks bigint NOT NULL,
    record           jsonb  NOT NULL
);

CREATE INDEX IF NOT EXISTS pay_sync_tenant ON pay_sync (tenant);

CREATE TABLE IF NOT EXISTS pay_events (
    tenant            text    NOT NULL,
    provider          text    NOT NULL,
    event_id          text    NOT NULL,
    received_at_ticks bigint  NOT NULL,
    applied           boolean NOT NULL,
    record            jsonb   NOT NULL,
    PRIMARY KEY (tenant, provider, event_id)
);

CREATE INDEX IF NOT EXISTS pay_events_unapplied ON pay_events (received_at_ticks) WHERE NOT applied;

CREATE TABLE IF NOT EXISTS pay_states (
    tenant     text  NOT NULL,
    invoice_id text  NOT NULL,
    record     jsonb NOT NULL,
    PRIMARY KEY (tenant, invoice_id)
);
