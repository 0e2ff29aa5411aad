CREATE TYPE address AS (street text, legacy text, zip integer);
