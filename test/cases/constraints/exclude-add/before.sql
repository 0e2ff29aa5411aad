CREATE EXTENSION btree_gist;
CREATE TABLE bookings (
  id integer PRIMARY KEY,
  room_id integer NOT NULL,
  during tstzrange NOT NULL
);
INSERT INTO bookings VALUES (1, 10, '[2026-01-01, 2026-01-02)');
