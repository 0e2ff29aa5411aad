CREATE TABLE invoices (
  id integer PRIMARY KEY,
  status varchar(20) NOT NULL,
  code varchar(10) NOT NULL,
  quantity integer NOT NULL,
  CHECK (quantity BETWEEN 1 AND 100)
);
