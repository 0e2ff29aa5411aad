CREATE TABLE invoices (
  id integer PRIMARY KEY,
  quantity integer NOT NULL
);
INSERT INTO invoices VALUES (1, 3), (2, -1);
ALTER TABLE invoices ADD CONSTRAINT chk_quantity CHECK (quantity > 0) NOT VALID;
