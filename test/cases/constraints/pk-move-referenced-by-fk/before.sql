CREATE TABLE accounts (
  id integer NOT NULL,
  code text NOT NULL,
  CONSTRAINT accounts_pkey PRIMARY KEY (id),
  CONSTRAINT accounts_code_key UNIQUE (code)
);
CREATE TABLE entries (
  id integer PRIMARY KEY,
  account_code text NOT NULL,
  CONSTRAINT entries_account_code_fkey FOREIGN KEY (account_code) REFERENCES accounts (code)
);
INSERT INTO accounts VALUES (1, 'a'), (2, 'b');
INSERT INTO entries VALUES (10, 'a'), (11, 'b');
