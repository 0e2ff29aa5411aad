CREATE TABLE events (id bigint NOT NULL, created_at timestamptz NOT NULL, body text CHECK (body <> ''), PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);
CREATE INDEX events_body_idx ON events (body);
CREATE TABLE events_2024_01 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
CREATE TABLE events_2024_02 PARTITION OF events FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
INSERT INTO events VALUES (1, '2024-01-05', 'a'), (2, '2024-02-05', 'b');
