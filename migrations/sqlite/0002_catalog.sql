-- Catalog area: products, categories, attributes, analogs, stock by location, full-text search,
-- and the commercial terms the catalog prices by (organisations' price types, discounts, credit,
-- requisites; the discount policy).

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
