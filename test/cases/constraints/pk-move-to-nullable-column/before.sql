CREATE TABLE accounts (
  id integer NOT NULL,
  code text,
  CONSTRAINT accounts_pkey PRIMARY KEY (id)
);
INSERT INTO accounts VALUES (1, 'a'), (2, 'b');
