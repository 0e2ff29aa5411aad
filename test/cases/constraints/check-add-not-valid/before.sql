CREATE TABLE invoices (
  id integer PRIMARY KEY,
  quantity integer NOT NULL
);
INSERT INTO invoices VALUES (1, 3), (2, 0), (3, -4);
