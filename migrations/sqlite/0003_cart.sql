-- Cart area: carts of users and guest browsers.

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

