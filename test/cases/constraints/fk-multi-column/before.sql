CREATE TABLE order_lines (
  order_id integer NOT NULL,
  line_no integer NOT NULL,
  PRIMARY KEY (order_id, line_no)
);
CREATE TABLE shipments (
  id integer PRIMARY KEY,
  order_id integer NOT NULL,
  line_no integer NOT NULL
);
