CREATE TABLE rooms_booked (
  id integer PRIMARY KEY,
  starts timestamptz NOT NULL,
  ends timestamptz NOT NULL,
  cancelled boolean NOT NULL DEFAULT false
);
