-- RulesBilling schema, version 5: webhook subscriptions, the notifications seen (for idempotence) and the delivery
-- outbox (INotificationStore). Due deliveries are leased with SELECT ... FOR UPDATE SKIP LOCKED (next_attempt_ticks
-- is pushed past the lease), so two nodes never send the same delivery at once and a node that dies mid-send
-- leaves it due again once the lease has passed.
CREATE TABLE IF NOT EXISTS webhook_subscriptions (
    tenant           text    NOT NULL,
    id               text    NOT NULL,
    url              text    NOT NULL,
    event_types      text[]  NOT NULL,
    secret           text    NOT NULL,
    thresholds       integer[] NOT NULL,
    credits_low_percent integer,
    created_at_ticks bigint  NOT NULL,
    PRIMARY KEY (tenant, id)
);

CREATE TABLE IF NOT EXISTS notifications (
    tenant            text   NOT NULL,
    id                text   NOT NULL,
    type              text   NOT NULL,
    occurred_at_ticks bigint NOT NULL,
    PRIMARY KEY (tenant, id)
);

CREATE TABLE IF NOT EXISTS webhook_deliveries (
    tenant             text   NOT NULL,
    id                 text   NOT NULL,
    subscription_id    text   NOT NULL,
    notification_id    text   NOT NULL,
    type               text   NOT NULL,
    url                text   NOT NULL,
    body               text   NOT NULL,
    status             text   NOT NULL,
    created_at_ticks   bigint NOT NULL,
    next_attempt_ticks bigint NOT NULL,
    attempts           jsonb  NOT NULL,  -- [{"n":1,"at":ticks,"code":500,"error":"HTTP 500"}]
    PRIMARY KEY (tenant, id)
);

CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_ticks) WHERE status = 'Pending';
