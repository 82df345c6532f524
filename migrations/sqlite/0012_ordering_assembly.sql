-- Ordering area: assembly and shipment line by line (`domain::ordering::assembly`), and a
-- timeline that records every change with what changed and where it was made.

-- How much of each line is picked (thousandths of its unit, like quantity and shipped).
ALTER TABLE order_lines ADD COLUMN picked BIGINT NOT NULL DEFAULT 0;
-- Orders already past assembly were picked in full; those already shipped or completed left in full.
UPDATE order_lines SET picked = quantity WHERE order_id IN
    (SELECT id FROM orders WHERE status IN ('assembled', 'ready_for_pickup', 'shipped', 'completed'));
UPDATE order_lines SET shipped = quantity WHERE order_id IN
    (SELECT id FROM orders WHERE status IN ('shipped', 'completed'));
-- What has left is no longer held for the order.
DELETE FROM stock_reservations WHERE order_id IN (SELECT id FROM orders WHERE status IN ('shipped', 'completed'));

-- Each shipment (отгрузка) of an order, numbered 1, 2, … within it, and what it carried.
CREATE TABLE order_shipments (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor_user_id INTEGER REFERENCES users (id),
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (order_id, number)
);

CREATE TABLE order_shipment_lines (
    shipment_id INTEGER NOT NULL REFERENCES order_shipments (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, line_no)
);

-- The timeline's entries: a status move ('status'), a line's picked quantity ('picked': field is
-- the line number, before/after the quantities), a shipment ('shipment': field is its number).
-- `via`: where the change was made — the buyer's cabinet, a staff cabinet, the system, a payment
-- (NULL for entries recorded before this was kept).
ALTER TABLE order_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'status'
    CHECK (kind IN ('status', 'picked', 'shipment'));
ALTER TABLE order_events ADD COLUMN field TEXT;
ALTER TABLE order_events ADD COLUMN before_value TEXT;
ALTER TABLE order_events ADD COLUMN after_value TEXT;
ALTER TABLE order_events ADD COLUMN via TEXT CHECK (via IN ('cabinet', 'staff', 'system', 'payment'));

-- The live order page's watcher looks for orders changed since it last looked.
CREATE INDEX orders_updated ON orders (updated_at);
