CREATE TABLE invoices (
  id integer PRIMARY KEY,
  number bigint
);
