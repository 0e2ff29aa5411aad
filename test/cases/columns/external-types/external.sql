CREATE DOMAIN public.year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155);
CREATE DOMAIN public."bıgınt" AS bigint;
CREATE SCHEMA money;
CREATE DOMAIN money.amount AS numeric(12,2) NOT NULL;
CREATE TYPE public.pair AS (a integer, b integer);
CREATE TYPE public.int_span AS RANGE (subtype = integer);
