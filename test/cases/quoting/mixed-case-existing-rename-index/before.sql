CREATE TABLE "UserAccounts" (
  "UserId" integer PRIMARY KEY,
  "EmailAddress" text NOT NULL
);
CREATE INDEX "IX_Email" ON "UserAccounts" ("EmailAddress");
