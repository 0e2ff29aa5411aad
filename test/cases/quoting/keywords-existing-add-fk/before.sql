CREATE TABLE "user" (
  id integer PRIMARY KEY,
  "group" text UNIQUE,
  "select" boolean NOT NULL DEFAULT false
);
CREATE INDEX idx_user_select ON "user" ("select", "group");
CREATE TABLE "order" (
  id integer PRIMARY KEY,
  "user" integer,
  "from" date,
  "table" text,
  CHECK ("from" > '2000-01-01')
);
