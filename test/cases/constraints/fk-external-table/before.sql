CREATE TABLE profiles (
  id integer PRIMARY KEY,
  user_id uuid NOT NULL
);
