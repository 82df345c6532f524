-- Notifications area: what happened (recorded in the transaction of what caused it, turned into
-- messages by the dispatcher), what each person sees in the cabinet, the administrator's templates
-- and channel switches, each person's channels turned off, and the outbox's delivery state
-- (at-least-once: a key per message, attempts with backoff, a dead state after the last one).

CREATE TABLE notification_events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    order_id INTEGER REFERENCES orders (id),
    actor_user_id INTEGER REFERENCES users (id),
    -- JSON: what the templates need beyond the order (a status, an amount).
    data TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    dispatched_at TEXT
);
CREATE INDEX notification_events_pending ON notification_events (dispatched_at, id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    event_id INTEGER REFERENCES notification_events (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    created_at TEXT NOT NULL,
    read_at TEXT,
    UNIQUE (event_id, user_id)
);
CREATE INDEX notifications_user ON notifications (user_id, id);

CREATE TABLE notification_templates (
    kind TEXT NOT NULL,
    locale TEXT NOT NULL CHECK (locale IN ('ru', 'en')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    sms TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    PRIMARY KEY (kind, locale)
);

CREATE TABLE notification_channels (
    kind TEXT PRIMARY KEY,
    email BOOLEAN NOT NULL,
    sms BOOLEAN NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users (id)
);

CREATE TABLE notification_optouts (
    user_id INTEGER NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    PRIMARY KEY (user_id, kind, channel)
);

ALTER TABLE outbox ADD COLUMN idempotency_key TEXT;
ALTER TABLE outbox ADD COLUMN kind TEXT;
ALTER TABLE outbox ADD COLUMN user_id INTEGER REFERENCES users (id);
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN dead_at TEXT;
-- How it left: 'smtp', 'gateway', or 'sandbox' (recorded, not sent).
ALTER TABLE outbox ADD COLUMN via TEXT;
UPDATE outbox SET idempotency_key = 'outbox:' || id;
CREATE UNIQUE INDEX outbox_key ON outbox (idempotency_key);
CREATE INDEX outbox_pending ON outbox (sent_at, dead_at, id);
