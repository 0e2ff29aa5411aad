CREATE TABLE users (
  id integer PRIMARY KEY,
  email text NOT NULL,
  legacy_code text
);
CREATE INDEX idx_users_legacy_code ON users (legacy_code, email);
