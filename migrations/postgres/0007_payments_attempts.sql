-- Payments area: an order's attempts settle it together. A new attempt cancels the open one
-- ('cancelled'), and loyalty accrues once per order: `orders.loyalty_accrued` is what the order
-- added to its buyer's accumulated purchases (NULL: nothing yet), which a refund takes back exactly.

ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
    CHECK (status IN ('pending', 'succeeded', 'declined', 'cancelled'));

ALTER TABLE orders ADD COLUMN loyalty_accrued BIGINT;
-- Orders paid before this counted at least once.
UPDATE orders SET loyalty_accrued = total
    WHERE payment_status = 'paid' AND organisation_id IN (SELECT id FROM organisations WHERE kind = 'person');
