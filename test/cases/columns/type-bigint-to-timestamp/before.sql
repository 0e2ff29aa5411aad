CREATE TABLE events (
    id integer PRIMARY KEY,
    happened_at bigint NOT NULL
);
