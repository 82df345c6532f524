-- Ordering area: the sales channel of every order (each channel has its own workflow,
-- `domain::workflow`), and in the timeline the status each change left.

ALTER TABLE orders ADD COLUMN channel TEXT NOT NULL DEFAULT 'site'
    CHECK (channel IN ('site', 'manager', 'shop', 'dealer'));
-- Dealers' orders so far were their requests.
UPDATE orders SET channel = 'dealer' WHERE buyer_user_id IN
    (SELECT id FROM users WHERE role IN ('dealer_manager', 'dealer_employee', 'dealer_service_engineer'));

ALTER TABLE order_events ADD COLUMN previous_status TEXT;
