CREATE TABLE invoices (
  id integer PRIMARY KEY,
  quantity integer NOT NULL
);
INSERT INTO invoices VALUES (1, 3), (2, 0);
ALTER TABLE invoices ADD CONSTRAINT chk_quantity CHECK (quantity > 1) NOT VALID;
