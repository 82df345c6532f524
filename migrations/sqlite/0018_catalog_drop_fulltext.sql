-- Catalog area: search, filters and facets are answered by each app server's in-memory index
-- (server/src/db/catalog/index), built from products.search_text. The FTS5 table and its
-- triggers were no longer read but were still written on every product change: dropped.
DROP TRIGGER IF EXISTS products_fts_insert;
DROP TRIGGER IF EXISTS products_fts_delete;
DROP TRIGGER IF EXISTS products_fts_update;
DROP TABLE IF EXISTS products_fts;
