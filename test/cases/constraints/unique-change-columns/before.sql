CREATE TABLE accounts (
  id integer NOT NULL,
  email text NOT NULL,
  name text,
  CONSTRAINT accounts_identity_key UNIQUE (email)
);
