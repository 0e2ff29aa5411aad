CREATE TABLE tickets (
    id integer PRIMARY KEY,
    state text NOT NULL
);
INSERT INTO tickets VALUES (1, 'open'), (2, 'closed');
