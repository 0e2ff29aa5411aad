CREATE TABLE accounts (
  id integer NOT NULL,
  email text NOT NULL,
  name text,
  CONSTRAINT accounts_email_key UNIQUE (email)
);
