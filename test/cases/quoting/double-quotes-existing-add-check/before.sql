CREATE TABLE "say ""hi""" (
  id integer PRIMARY KEY,
  "a""b" text
);
