CREATE TABLE accounts (
  id integer NOT NULL,
  region text NOT NULL,
  CONSTRAINT accounts_pkey PRIMARY KEY (id)
);
CREATE TABLE entries (
  id integer PRIMARY KEY,
  account_id integer NOT NULL,
  region text NOT NULL,
  CONSTRAINT entries_account_fkey FOREIGN KEY (account_id) REFERENCES accounts (id)
);
INSERT INTO accounts VALUES (1, 'eu'), (2, 'us');
INSERT INTO entries VALUES (10, 1, 'eu'), (11, 2, 'us');
