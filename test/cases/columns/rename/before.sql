CREATE TABLE items (
    id integer PRIMARY KEY,
    title text NOT NULL
);
INSERT INTO items VALUES (1, 'anvil'), (2, 'bellows');
