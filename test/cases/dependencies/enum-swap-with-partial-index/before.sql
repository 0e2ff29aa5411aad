CREATE TYPE priority AS ENUM ('low', 'normal', 'high', 'urgent');
CREATE TABLE tickets (
  id integer PRIMARY KEY,
  priority priority NOT NULL DEFAULT 'normal'
);
CREATE INDEX idx_tickets_high ON tickets (id) WHERE priority = 'high';
