CREATE TABLE items (
    id integer PRIMARY KEY,
    name text NOT NULL,
    legacy_code text
);
INSERT INTO items VALUES (1, 'anvil', 'A-1'), (2, 'bellows', NULL);
