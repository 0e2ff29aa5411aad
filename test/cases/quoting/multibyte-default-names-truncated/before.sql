CREATE TABLE "éééééééééééééééééééééééééééééé" (
  id integer PRIMARY KEY,
  "üüüüüüüüüü" text UNIQUE
);
