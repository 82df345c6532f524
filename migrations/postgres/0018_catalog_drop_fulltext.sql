-- Catalog area: search, filters and facets are answered by each app server's in-memory index
-- (server/src/db/catalog/index), built from products.search_text. The GIN index over its
-- tsvector was no longer read but was still maintained on every product change: dropped.
DROP INDEX IF EXISTS products_search;
