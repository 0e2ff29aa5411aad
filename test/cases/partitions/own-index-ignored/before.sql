CREATE TABLE ticks (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE ticks_2024 PARTITION OF ticks FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX ticks_2024_id_own ON ticks_2024 (id);
CREATE INDEX tmp_hand_idx ON ticks_2024 (at);
