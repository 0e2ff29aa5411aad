CREATE SCHEMA ext;
CREATE EXTENSION citext WITH SCHEMA ext;
CREATE TABLE t (id integer PRIMARY KEY, a ext.citext NOT NULL, b ext.citext[]);
