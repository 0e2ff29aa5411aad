CREATE SCHEMA "App";
CREATE TABLE "App"."Users" ("Id" integer PRIMARY KEY, "Full Name" text);
