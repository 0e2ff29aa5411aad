CREATE TABLE "UserAccounts" ("Id" integer PRIMARY KEY, "displayName" text);
INSERT INTO "UserAccounts" VALUES (1, 'Ada');
