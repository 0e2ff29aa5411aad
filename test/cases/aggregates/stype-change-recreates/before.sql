CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer);
