-- CRM area: the sales manager responsible for a client organisation (NULL: nobody yet; the
-- region's managers all see it). Staff queues and notifications follow it.

ALTER TABLE organisations ADD COLUMN manager_id INTEGER REFERENCES users (id);
CREATE INDEX organisations_manager ON organisations (manager_id);
