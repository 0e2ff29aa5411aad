CREATE TABLE accounts (
  id integer NOT NULL,
  code text NOT NULL,
  CONSTRAINT accounts_pkey PRIMARY KEY (id),
  CONSTRAINT accounts_code_key UNIQUE (code)
);
CREATE TABLE entries (
  id integer PRIMARY KEY,
  account_id integer NOT NULL REFERENCES accounts (id)
);
INSERT INTO accounts VALUES (1, 'a'), (2, 'b');
INSERT INTO entries VALUES (10, 1), (11, 2);
