CREATE FUNCTION public.lower(text[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS 'SELECT $1';
CREATE TABLE a (id integer PRIMARY KEY, name varchar(20), other text[]);
CREATE INDEX a_lower ON a USING gin (public.lower((ARRAY[(name)::text] || other)));
