-- RulesBilling schema, version 1. Applied by PostgresMigrations inside one transaction under an advisory lock;
-- every statement is also idempotent (IF NOT EXISTS) so a half-applied manual run can be re-run safely.
--
-- Instants are .NET UTC ticks (bigint, 100 ns) because timestamptz keeps only microseconds and the store contract
-- returns exactly the instant it was given. Money and quantities are numeric (exact, keeps the scale: 1.10 stays
-- 1.10). Identifiers are text compared byte-wise; read order is applied by the store (ordinal, like the other
-- backends), so no collation decides anything.

-- Dedup of events. A unique constraint on the partitioned events table would have to include the partition key
-- (event time), so the same (tenant, source, id) sent twice with two different times would be stored twice. This
-- non-partitioned table holds one row per accepted event identity instead; the store inserts into it with
-- ON CONFLICT DO NOTHING in the same transaction as the event row, so an identity counts as seen exactly when the
-- event row commits, and a failed or rolled-back write leaves no trace. The key is SHA-256 over the
-- length-prefixed (tenant, source, id): ids and sources may be kilobytes long, beyond what a btree entry can hold.
CREATE TABLE IF NOT EXISTS event_ids (
    event_key bytea PRIMARY KEY
);

-- Accepted events, partitioned by month of event time. Monthly partitions (events_pYYYY_MM) are created on demand
-- by the store. There is deliberately no default partition: an insert for a month without a partition fails
-- loudly instead of silently piling up in a catch-all table.
CREATE TABLE IF NOT EXISTS events (
    tenant          text        NOT NULL,
    source          text        NOT NULL,
    id              text        NOT NULL,
    type            text        NOT NULL,
    subject         text        NOT NULL,
    event_time      timestamptz NOT NULL,  -- partition key (event time truncated to microseconds)
    time_ticks      bigint      NOT NULL,  -- exact event time
    stored_at_ticks bigint      NOT NULL,
    sequence        bigint      NOT NULL,
    data            text        NOT NULL   -- the CloudEvent data exactly as received (JSON text)
) PARTITION BY RANGE (event_time);

CREATE INDEX IF NOT EXISTS events_tenant_subject ON events (tenant, subject);

-- Arrival numbers. A sequence, not a counter row: concurrent ingestion on several nodes never waits on it.
CREATE SEQUENCE IF NOT EXISTS event_sequence AS bigint;

CREATE TABLE IF NOT EXISTS rejected (
    tenant            text   NOT NULL,
    rejection_id      text   NOT NULL,
    source            text,
    id                text,
    type              text,
    raw_json          text   NOT NULL,
    reason            text   NOT NULL,
    rejected_at_ticks bigint NOT NULL,
    attempts          integer NOT NULL,
    PRIMARY KEY (tenant, rejection_id)
);

-- The invoice document is kept whole as JSON (lines with their explanations); the columns beside it are copies
-- for lookups, listings and operators' queries.
CREATE TABLE IF NOT EXISTS invoices (
    tenant            text    NOT NULL,
    id                text    NOT NULL,
    customer          text    NOT NULL,
    number            text,
    kind              text    NOT NULL,
    status            text    NOT NULL,
    currency          text    NOT NULL,
    period_from_ticks bigint  NOT NULL,
    period_to_ticks   bigint  NOT NULL,
    subtotal          numeric NOT NULL,
    credits_applied   numeric NOT NULL,
    total             numeric NOT NULL,
    document          jsonb   NOT NULL,
    PRIMARY KEY (tenant, id)
);

CREATE INDEX IF NOT EXISTS invoices_tenant_customer ON invoices (tenant, customer);

-- Gap-free invoice numbers: the row is updated in the finalizing transaction and stays locked until it commits,
-- so a rollback hands the number out again and two nodes never get the same one.
CREATE TABLE IF NOT EXISTS invoice_counters (
    tenant      text   PRIMARY KEY,
    last_number bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS grants (
    tenant           text    NOT NULL,
    id               text    NOT NULL,
    customer         text    NOT NULL,
    currency         text    NOT NULL,
    amount           numeric NOT NULL,
    priority         integer NOT NULL,
    granted_at_ticks bigint  NOT NULL,
    expires_at_ticks bigint,
    description      text,
    PRIMARY KEY (tenant, id)
);

CREATE INDEX IF NOT EXISTS grants_tenant_customer ON grants (tenant, customer);

-- Append-only credit ledger; seq records append order.
CREATE TABLE IF NOT EXISTS ledger (
    seq           bigint  GENERATED ALWAYS AS IDENTITY,
    tenant        text    NOT NULL,
    id            text    NOT NULL,
    customer      text    NOT NULL,
    grant_id      text    NOT NULL,
    currency      text    NOT NULL,
    amount        numeric NOT NULL,
    balance_after numeric NOT NULL,
    kind          text    NOT NULL,
    invoice_id    text,
    at_ticks      bigint  NOT NULL,
    PRIMARY KEY (tenant, id)
);

CREATE INDEX IF NOT EXISTS ledger_tenant_customer ON ledger (tenant, customer, seq);
