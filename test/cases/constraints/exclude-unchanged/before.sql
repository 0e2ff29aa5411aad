CREATE TABLE rooms_booked (
  id integer PRIMARY KEY,
  starts timestamptz NOT NULL,
  ends timestamptz NOT NULL,
  cancelled boolean NOT NULL DEFAULT false,
  CONSTRAINT rooms_booked_no_overlap EXCLUDE USING gist (tstzrange(starts, ends) WITH &&) WHERE (NOT cancelled)
);
