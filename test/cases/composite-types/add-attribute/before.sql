CREATE TYPE address AS (street text);
