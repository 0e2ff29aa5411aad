CREATE TABLE items (
    id integer PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO items VALUES (1, 'anvil'), (2, 'bellows');
COMMENT ON COLUMN items.id IS 'old id comment';
COMMENT ON COLUMN items.name IS 'old name comment';
