-- Invoicing area: invoices (счета на оплату) and what was paid against them.

-- Счета на оплату. Outstanding debt = amount - paid of open invoices (the credit check reads it).
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    order_id INTEGER REFERENCES orders (id),
    number TEXT NOT NULL UNIQUE,
    issued_on TEXT NOT NULL,
    amount BIGINT NOT NULL,
    paid BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX invoices_organisation ON invoices (organisation_id);

