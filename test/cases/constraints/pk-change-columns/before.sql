CREATE TABLE order_lines (
  order_id integer NOT NULL,
  line_no integer NOT NULL,
  sku text NOT NULL,
  CONSTRAINT order_lines_pkey PRIMARY KEY (order_id)
);
