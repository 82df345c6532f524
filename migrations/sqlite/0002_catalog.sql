-- Catalog, stock, carts, orders, invoices and payments.

-- Commercial terms and requisites of organisations.
ALTER TABLE organisations ADD COLUMN price_type TEXT NOT NULL DEFAULT 'retail';
ALTER TABLE organisations ADD COLUMN personal_discount_bp INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organisations ADD COLUMN credit_limit BIGINT NOT NULL DEFAULT 0;
ALTER TABLE organisations ADD COLUMN deferral_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organisations ADD COLUMN grace_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organisations ADD COLUMN accumulated BIGINT NOT NULL DEFAULT 0;
ALTER TABLE organisations ADD COLUMN kpp TEXT;
ALTER TABLE organisations ADD COLUMN legal_address TEXT;
ALTER TABLE organisations ADD COLUMN bank_name TEXT;
ALTER TABLE organisations ADD COLUMN bik TEXT;
ALTER TABLE organisations ADD COLUMN settlement_account TEXT;
ALTER TABLE organisations ADD COLUMN correspondent_account TEXT;

-- Discount policy: loyalty tiers by accumulated purchases, promotions, the cap.
CREATE TABLE loyalty_tiers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    threshold BIGINT NOT NULL,
    discount_bp INTEGER NOT NULL CHECK (discount_bp BETWEEN 0 AND 10000)
);

CREATE TABLE promotions (
    code TEXT PRIMARY KEY,
    discount_bp INTEGER NOT NULL CHECK (discount_bp BETWEEN 0 AND 10000),
    condition TEXT NOT NULL CHECK (condition IN ('always', 'placed_online', 'paid_online')),
    active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES categories (id),
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    brand TEXT NOT NULL,
    category_id INTEGER NOT NULL REFERENCES categories (id),
    unit TEXT NOT NULL CHECK (unit IN ('pcs', 'm', 'kg', 'set')),
    description TEXT NOT NULL DEFAULT '',
    warranty_months INTEGER NOT NULL DEFAULT 0,
    returnable BOOLEAN NOT NULL DEFAULT TRUE,
    -- VAT in whole percent; NULL: без НДС.
    vat_rate INTEGER,
    price_retail BIGINT NOT NULL CHECK (price_retail >= 0),
    price_wholesale BIGINT NOT NULL CHECK (price_wholesale >= 0),
    price_dealer BIGINT NOT NULL CHECK (price_dealer >= 0),
    price_purchase BIGINT NOT NULL CHECK (price_purchase >= 0),
    -- Available quantity over all locations, thousandths (kept with `stock` in one transaction).
    stock_total BIGINT NOT NULL DEFAULT 0 CHECK (stock_total >= 0),
    -- Stemmed words of name, brand, article, category and attributes (domain::search).
    search_text TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TEXT NOT NULL
);
CREATE INDEX products_category ON products (category_id, price_retail);
CREATE INDEX products_brand ON products (brand);
CREATE INDEX products_name ON products (name);
-- Live updates follow changes by time.
CREATE INDEX products_updated ON products (updated_at);

CREATE TABLE product_attributes (
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (product_id, name)
);
CREATE INDEX product_attributes_value ON product_attributes (name, value, product_id);

CREATE TABLE product_analogs (
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    analog_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, analog_id)
);

-- Warehouses and pickup points (a pickup point is a retail point's stock).
CREATE TABLE stock_locations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('warehouse', 'pickup')),
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    retail_point_id INTEGER REFERENCES retail_points (id)
);

-- Available (not reserved) quantity, thousandths of the product's unit.
CREATE TABLE stock (
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES stock_locations (id),
    quantity BIGINT NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (product_id, location_id)
);

-- A cart belongs to a user, or to a guest browser (a random token in a cookie, stored hashed).
CREATE TABLE carts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER UNIQUE REFERENCES users (id),
    guest_token_hash TEXT UNIQUE,
    updated_at TEXT NOT NULL,
    CHECK (user_id IS NOT NULL OR guest_token_hash IS NOT NULL)
);

CREATE TABLE cart_items (
    cart_id INTEGER NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    added_at TEXT NOT NULL,
    PRIMARY KEY (cart_id, product_id)
);

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

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    provider TEXT NOT NULL,
    external_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'declined')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (provider, external_id)
);
CREATE INDEX payments_order ON payments (order_id);

-- Webhook events already applied: a replay finds its id here and changes nothing.
CREATE TABLE payment_events (
    provider TEXT NOT NULL,
    event_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (provider, event_id)
);

-- Full-text index over the stemmed search text (external content: the text lives in products).
CREATE VIRTUAL TABLE products_fts USING fts5(
    search_text, content = 'products', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
);
CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER products_fts_update AFTER UPDATE OF search_text ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO products_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
