CREATE SCHEMA app;
CREATE DOMAIN app.old_amount AS numeric(12,2) CONSTRAINT positive CHECK (VALUE >= 0);
CREATE TABLE app.invoices (id integer PRIMARY KEY, total app.old_amount, parts app.old_amount[]);
INSERT INTO app.invoices VALUES (1, 10, ARRAY[4, 6]::app.old_amount[]);
