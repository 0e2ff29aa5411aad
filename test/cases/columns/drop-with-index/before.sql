CREATE TABLE items (
    id integer PRIMARY KEY,
    name text NOT NULL,
    legacy_code text
);
CREATE INDEX idx_items_legacy_code ON items (legacy_code);
INSERT INTO items VALUES (1, 'anvil', 'A-1'), (2, 'bellows', NULL);
