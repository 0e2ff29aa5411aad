CREATE TABLE "order items" (
  "item id" integer PRIMARY KEY,
  "unit price" numeric(10,2) NOT NULL,
  "sku code" text NOT NULL,
  CHECK ("unit price" >= 0)
);
