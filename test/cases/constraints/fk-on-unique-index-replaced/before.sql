CREATE TABLE accounts (
  id integer PRIMARY KEY,
  code text NOT NULL,
  name text
);
CREATE UNIQUE INDEX accounts_code_idx ON accounts (code);
CREATE TABLE entries (
  id integer PRIMARY KEY,
  account_code text NOT NULL,
  CONSTRAINT entries_account_code_fkey FOREIGN KEY (account_code) REFERENCES accounts (code)
);
INSERT INTO accounts VALUES (1, 'a', 'x'), (2, 'b', 'y');
INSERT INTO entries VALUES (10, 'a'), (11, 'b');
