-- RulesBilling schema, version 6: outcome state maintained at ingestion (docs/architecture.md "Outcome state").
-- One row per (tenant, customer, entry): a key group's events and detected outcomes, or one event's own exclusions,
-- as JSON written in the same transaction as the events. outcome_state_tenants records the rule-set hash the
-- tenant's state is valid for and a change version; outcome_state_changes the latest version per customer, which
-- the notification worker follows.
CREATE TABLE IF NOT EXISTS outcome_state (
    tenant   text NOT NULL,
    customer text NOT NULL,
    entry    text NOT NULL,
    state    text NOT NULL,
    -- The change version the entry was written at (0 for an event's own exclusions): the notification pass reads
    -- only the key groups changed since its watermark.
    version  bigint NOT NULL,
    PRIMARY KEY (tenant, customer, entry)
);

CREATE TABLE IF NOT EXISTS outcome_state_tenants (
    tenant        text   PRIMARY KEY,
    rule_set_hash text   NOT NULL,
    version       bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS outcome_state_changes (
    tenant   text   NOT NULL,
    customer text   NOT NULL,
    version  bigint NOT NULL,
    PRIMARY KEY (tenant, customer)
);

CREATE INDEX IF NOT EXISTS outcome_state_changes_version ON outcome_state_changes (tenant, version);
