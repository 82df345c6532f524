-- Payments area: refunds (возврат денег) through the provider that took the money. A cancelled
-- order gets one per payment that took money, in the transaction that cancels it
-- (`idempotency_key` 'cancel:<payment id>': asked twice, made once); `external_id` is the
-- provider's id once it has been asked (the same key gives the same refund there); the provider's
-- signed report settles it.
CREATE TABLE refunds (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    payment_id INTEGER NOT NULL REFERENCES payments (id),
    idempotency_key TEXT NOT NULL UNIQUE,
    amount BIGINT NOT NULL CHECK (amount > 0),
    status TEXT NOT NULL CHECK (status IN ('requested', 'succeeded')),
    external_id TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX refunds_order ON refunds (order_id);
CREATE INDEX refunds_waiting ON refunds (status, external_id);
