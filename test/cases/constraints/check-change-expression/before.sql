CREATE TABLE accounts (
  id integer NOT NULL,
  email text NOT NULL,
  name text,
  CHECK (char_length(email) > 3)
);
