CREATE TABLE invoices (
  id integer PRIMARY KEY,
  status varchar(20) NOT NULL,
  code varchar(10) NOT NULL,
  quantity integer NOT NULL
);
