-- RulesBilling schema, version 2: leases for per-record work shared by several nodes (period close, outbox sync,
-- webhook delivery). One row per claimed (kind, key); a claim is held while expires_at is in the future by the
-- database clock, so a node that dies simply stops renewing and its claim lapses. See PostgresBillingStore.TryClaim.
CREATE TABLE IF NOT EXISTS claims (
    kind       text        NOT NULL,
    key        text        NOT NULL,
    owner      text        NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (kind, key)
);
