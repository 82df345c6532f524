-- Ordering area: the administrator's settings per sales channel. `prepay`: orders of the channel
-- paid by invoice are assembled only once the invoice is paid (seed 003's payment check); orders
-- paid online always wait for the money, orders paid at pickup never do.
CREATE TABLE sales_channels (
    channel TEXT PRIMARY KEY CHECK (channel IN ('site', 'manager', 'shop', 'dealer')),
    prepay BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMPTZ,
    updated_by BIGINT REFERENCES users (id)
);
INSERT INTO sales_channels (channel) VALUES ('site'), ('manager'), ('shop'), ('dealer');
