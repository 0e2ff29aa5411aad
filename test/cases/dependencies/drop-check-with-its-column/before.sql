CREATE TABLE bookings (
  id integer PRIMARY KEY,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz,
  CHECK (ends_at > '2000-01-01'),
  CHECK (starts_at < ends_at)
);
