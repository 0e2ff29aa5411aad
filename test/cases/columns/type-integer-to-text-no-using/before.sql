CREATE TABLE codes (
    id integer PRIMARY KEY,
    code integer
);
INSERT INTO codes VALUES (1, 42);
