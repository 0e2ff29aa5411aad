CREATE TABLE accounts (
  id integer NOT NULL,
  email text NOT NULL,
  name text,
  CONSTRAINT accounts_email_check CHECK (char_length(email) > 3)
);
