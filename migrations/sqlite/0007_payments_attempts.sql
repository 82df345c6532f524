-- Payments area: an order's attempts settle it together. A new attempt cancels the open one
-- ('cancelled'), and loyalty accrues once per order: `orders.loyalty_accrued` is what the order
-- added to its buyer's accumulated purchases (NULL: nothing yet), which a refund takes back exactly.

CREATE TABLE payments_new (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    provider TEXT NOT NULL,
    external_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'declined', 'cancelled')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (provider, external_id)
);
INSERT INTO payments_new (id, order_id, provider, external_id, amount, status, created_at, updated_at)
    SELECT id, order_id, provider, external_id, amount, status, created_at, updated_at FROM payments;
DROP TABLE payments;
ALTER TABLE payments_new RENAME TO payments;
CREATE INDEX payments_order ON payments (order_id);

ALTER TABLE orders ADD COLUMN loyalty_accrued BIGINT;
-- Orders paid before this counted at least once.
UPDATE orders SET loyalty_accrued = total
    WHERE payment_status = 'paid' AND organisation_id IN (SELECT id FROM organisations WHERE kind = 'person');
