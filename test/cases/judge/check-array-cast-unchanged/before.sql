CREATE TABLE r (id integer PRIMARY KEY, perms varchar[] NOT NULL, CONSTRAINT r_perms CHECK (NOT ((perms)::text ~ ':'::text)));
