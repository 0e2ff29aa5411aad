CREATE TABLE accounts (id integer PRIMARY KEY);
CREATE TABLE sessions (id integer PRIMARY KEY, account_id integer REFERENCES accounts (id));
