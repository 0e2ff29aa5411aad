CREATE TABLE metrics (id bigint NOT NULL, at date NOT NULL, name text, value numeric) PARTITION BY RANGE (at);
CREATE TABLE metrics_2024 PARTITION OF metrics FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE metrics_2025 PARTITION OF metrics FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX metrics_name_idx ON metrics (name);
CREATE INDEX metrics_old_idx ON metrics (value);
CREATE FUNCTION metrics_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER metrics_touch BEFORE INSERT ON metrics FOR EACH ROW EXECUTE FUNCTION metrics_touch();
INSERT INTO metrics VALUES (1, '2024-05-01', 'a', 1), (2, '2025-05-01', 'b', 2);
