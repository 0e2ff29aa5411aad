CREATE TABLE invoices (
  id integer PRIMARY KEY,
  status varchar(20) NOT NULL,
  code varchar(10) NOT NULL,
  quantity integer NOT NULL
);
INSERT INTO invoices VALUES (1, 'draft', 'INV-1', 3);
ALTER TABLE invoices ADD CONSTRAINT chk_quantity CHECK (quantity > 0) NOT VALID;
