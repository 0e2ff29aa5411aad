CREATE TABLE line_items (
    id integer PRIMARY KEY,
    price numeric(10,2) NOT NULL,
    quantity integer NOT NULL
);
INSERT INTO line_items VALUES (1, 2.50, 4), (2, 10.00, 1);
