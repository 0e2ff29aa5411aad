CREATE TABLE users (
  id integer PRIMARY KEY,
  email text NOT NULL,
  name varchar(100),
  status varchar(20) NOT NULL DEFAULT 'active',
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  data jsonb,
  during tstzrange
);
