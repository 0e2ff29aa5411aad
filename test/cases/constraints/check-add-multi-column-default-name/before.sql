CREATE TABLE bookings (
  id integer PRIMARY KEY,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL
);
