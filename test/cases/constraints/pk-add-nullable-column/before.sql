CREATE TABLE accounts (
  id integer,
  email text NOT NULL,
  name text
);
