-- Invoicing area: payments that arrived at the bank, recorded by staff against an invoice, the
-- payment checks (задача бухгалтеру «проверить поступление оплаты») of orders that wait for one,
-- and the reminders sent about unpaid invoices.

-- A cancelled order's invoice is void: it no longer counts as debt and takes no payments.
ALTER TABLE invoices ADD COLUMN cancelled_at TEXT;

-- One statement line once: the same document recorded twice for an invoice counts once.
CREATE TABLE invoice_payments (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    document TEXT NOT NULL,
    paid_on TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    recorded_by INTEGER NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    UNIQUE (invoice_id, document)
);

-- One open check per order at most; closed when the invoice is paid in full ('paid'), the order is
-- cancelled ('cancelled') or its channel stops waiting for payments ('not_needed').
CREATE TABLE payment_checks (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    due_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT,
    closed_by INTEGER REFERENCES users (id),
    outcome TEXT CHECK (outcome IN ('paid', 'cancelled', 'not_needed'))
);
CREATE UNIQUE INDEX payment_checks_open ON payment_checks (order_id) WHERE closed_at IS NULL;
CREATE INDEX payment_checks_due ON payment_checks (closed_at, due_on);

-- Reminders about an unpaid invoice, each sent once: 'due' on its due day, 'overdue' after it.
CREATE TABLE invoice_reminders (
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    kind TEXT NOT NULL CHECK (kind IN ('due', 'overdue')),
    sent_at TEXT NOT NULL,
    PRIMARY KEY (invoice_id, kind)
);

-- Invoices of orders cancelled before now are void too.
UPDATE invoices SET cancelled_at = (SELECT o.updated_at FROM orders o WHERE o.id = invoices.order_id)
WHERE order_id IN (SELECT id FROM orders WHERE status = 'cancelled');

-- A bank payment is an entry of the order's timeline ('payment': field is the document number,
-- after_value the amount in kopecks). SQLite cannot change a column's check: the table is rebuilt
-- with the same columns and rows.
CREATE TABLE order_events_new (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    actor_user_id INTEGER REFERENCES users (id),
    previous_status TEXT,
    kind TEXT NOT NULL DEFAULT 'status' CHECK (kind IN ('status', 'picked', 'shipment', 'payment')),
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
