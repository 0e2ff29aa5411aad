CREATE TABLE counters (name text PRIMARY KEY, n integer NOT NULL DEFAULT 0);
CREATE PROCEDURE bump(counter text) LANGUAGE sql AS $$UPDATE counters SET n = n + 1 WHERE name = counter$$;
