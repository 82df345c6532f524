-- Ordering area: orders, their lines, stock reservations and status timeline.

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    buyer_user_id INTEGER NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    price_type TEXT NOT NULL,
    fulfilment TEXT NOT NULL CHECK (fulfilment IN ('pickup', 'delivery')),
    pickup_location_id INTEGER REFERENCES stock_locations (id),
    delivery_address TEXT,
    payment_method TEXT NOT NULL CHECK (payment_method IN ('online', 'on_pickup', 'invoice')),
    payment_status TEXT NOT NULL CHECK (payment_status IN ('unpaid', 'pending', 'paid', 'declined')),
    gross BIGINT NOT NULL,
    discount BIGINT NOT NULL,
    total BIGINT NOT NULL,
    vat BIGINT NOT NULL,
    -- domain::pricing::DiscountSource list and domain::credit::CreditCheck, as JSON.
    discount_sources TEXT NOT NULL,
    credit_check TEXT,
    comment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX orders_buyer ON orders (organisation_id, created_at);

CREATE TABLE order_lines (
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products (id),
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    shipped BIGINT NOT NULL DEFAULT 0,
    unit_price BIGINT NOT NULL,
    gross BIGINT NOT NULL,
    discount BIGINT NOT NULL,
    total BIGINT NOT NULL,
    vat BIGINT NOT NULL,
    vat_rate INTEGER,
    PRIMARY KEY (order_id, line_no)
);

-- What an order holds from which location, given back if it is cancelled.
CREATE TABLE stock_reservations (
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products (id),
    location_id INTEGER NOT NULL REFERENCES stock_locations (id),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, product_id, location_id)
);

-- The order's status timeline.
CREATE TABLE order_events (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    actor_user_id INTEGER REFERENCES users (id)
);
CREATE INDEX order_events_order ON order_events (order_id, at);

