CREATE TABLE accounts (
  id integer CONSTRAINT "Accounts PK" PRIMARY KEY,
  email text NOT NULL CONSTRAINT "email ""unique""" UNIQUE,
  CONSTRAINT "check" CHECK (email <> '')
);
