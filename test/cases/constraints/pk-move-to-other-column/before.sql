CREATE TABLE accounts (
  id integer NOT NULL,
  code text NOT NULL,
  name text,
  CONSTRAINT accounts_pkey PRIMARY KEY (id)
);
INSERT INTO accounts VALUES (1, 'a', 'x'), (2, 'b', 'y');
