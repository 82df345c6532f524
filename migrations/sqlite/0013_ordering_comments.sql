-- Ordering area: comments on an order — staff's internal notes, and what staff and the buyer
-- write to each other (`for_buyer`: the buyer sees it; a buyer's own comments always are).

CREATE TABLE order_comments (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    author_user_id INTEGER NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    for_buyer BOOLEAN NOT NULL
);
CREATE INDEX order_comments_order ON order_comments (order_id, at);
