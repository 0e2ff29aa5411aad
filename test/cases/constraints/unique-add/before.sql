CREATE TABLE accounts (
  id integer NOT NULL,
  email text NOT NULL,
  name text
);
