-- RulesBilling schema, version 3: what `serve` keeps besides billing data (ITenantStore), so that several nodes
-- share tenants, API keys, customers, contract assignments, uploaded rule sets and the audit trail.
CREATE TABLE IF NOT EXISTS tenants (
    id              text   PRIMARY KEY,
    name            text   NOT NULL,
    created_at_ticks bigint NOT NULL
);

-- Only the SHA-256 of a key is stored; the lookup by hash is how a caller's tenant is found.
CREATE TABLE IF NOT EXISTS api_keys (
    key_hash         text   PRIMARY KEY,
    tenant           text   NOT NULL,
    prefix           text   NOT NULL,
    created_at_ticks bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS customers (
    tenant           text   NOT NULL,
    id               text   NOT NULL,
    name             text,
    created_at_ticks bigint NOT NULL,
    PRIMARY KEY (tenant, id)
);

-- Effective-dated: one row per (customer, effective date); a second assignment for the same date replaces it.
CREATE TABLE IF NOT EXISTS contract_assignments (
    tenant         text    NOT NULL,
    customer       text    NOT NULL,
    effective_from date    NOT NULL,
    contract       text    NOT NULL,
    version        integer,
    PRIMARY KEY (tenant, customer, effective_from)
);

-- Uploaded rule sets, numbered 1, 2, ... per tenant. Every node compiles the highest version and polls it
-- (a primary-key lookup of max(version)) so an upload on one node is in force on all of them.
CREATE TABLE IF NOT EXISTS rule_sets (
    tenant            text    NOT NULL,
    version           integer NOT NULL,
    hash              text    NOT NULL,
    files             jsonb   NOT NULL,  -- [{"path": ..., "text": ...}] in upload order
    uploaded_at_ticks bigint  NOT NULL,
    comment           text,
    PRIMARY KEY (tenant, version)
);

CREATE TABLE IF NOT EXISTS audit (
    sequence       bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant         text    NOT NULL,
    at_ticks       bigint  NOT NULL,
    actor          text    NOT NULL,
    action         text    NOT NULL,
    correlation_id text,
    succeeded      boolean NOT NULL,
    detail         text
);

CREATE INDEX IF NOT EXISTS audit_tenant ON audit (tenant, sequence);
