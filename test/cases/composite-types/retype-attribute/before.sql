CREATE TYPE address AS (street varchar(40), zip integer);
