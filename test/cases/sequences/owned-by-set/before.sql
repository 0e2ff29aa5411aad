CREATE TABLE invoices (
  id integer PRIMARY KEY,
  number bigint
);
CREATE SEQUENCE invoice_number_seq;
