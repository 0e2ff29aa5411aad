CREATE UNLOGGED TABLE accounts (id integer PRIMARY KEY);
CREATE UNLOGGED TABLE sessions (id integer PRIMARY KEY, account_id integer REFERENCES accounts (id));
