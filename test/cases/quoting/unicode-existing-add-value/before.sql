CREATE TYPE "état" AS ENUM ('été', 'hiver');
CREATE TABLE "café" (
  id integer PRIMARY KEY,
  saison "état"
);
