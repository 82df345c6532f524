-- Invoicing area: payment schedules (график платежей, seed 001). A manager splits an order's
-- invoice into instalments, each an invoice with its own due day; on each invoice's due day the
-- responsible manager gets a task to see that it is paid.

-- The due day set by a schedule (NULL: the invoice's date plus the client's deferral) and the
-- instalment's place in the order's schedule (NULL: the order's only invoice).
ALTER TABLE invoices ADD COLUMN due_on TEXT;
ALTER TABLE invoices ADD COLUMN instalment INTEGER;
CREATE INDEX invoices_order ON invoices (order_id);

-- The manager's control of a payment on its due day; closed when the invoice is paid in full
-- ('paid'), void ('void') or by the manager after talking to the client ('done', with a note).
CREATE TABLE payment_tasks (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL UNIQUE REFERENCES invoices (id) ON DELETE CASCADE,
    due_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT,
    closed_by INTEGER REFERENCES users (id),
    outcome TEXT CHECK (outcome IN ('paid', 'void', 'done')),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX payment_tasks_open ON payment_tasks (closed_at, due_on);

-- A schedule set or changed is an entry of the order's timeline ('schedule': before and after
-- the instalments as "date amount" lines). SQLite cannot change a column's check: rebuilt.
CREATE TABLE order_events_new (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    actor_user_id INTEGER REFERENCES users (id),
    previous_status TEXT,
    kind TEXT NOT NULL DEFAULT 'status' CHECK (kind IN ('status', 'picked', 'shipment', 'payment', 'schedule')),
    field TEXT,
    before_value TEXT,
    after_value TEXT,
    via TEXT CHECK (via IN ('cabinet', 'staff', 'system', 'payment'))
);
INSERT INTO order_events_new (id, order_id, at, status, note, actor_user_id, previous_status, kind, field, before_value,
    after_value, via)
SELECT id, order_id, at, status, note, actor_user_id, previous_status, kind, field, before_value, after_value, via
FROM order_events;
DROP TABLE order_events;
ALTER TABLE order_events_new RENAME TO order_events;
CREATE INDEX order_events_order ON order_events (order_id, at);
