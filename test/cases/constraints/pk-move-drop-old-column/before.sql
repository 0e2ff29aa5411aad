CREATE TABLE accounts (
  id integer NOT NULL,
  code text NOT NULL,
  CONSTRAINT accounts_pkey PRIMARY KEY (id)
);
INSERT INTO accounts VALUES (1, 'a'), (2, 'b');
