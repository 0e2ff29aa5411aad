CREATE TYPE address AS (street text, zip integer);
