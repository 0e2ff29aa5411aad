CREATE TYPE old_status AS ENUM ('draft', 'listed');
CREATE TYPE new_status AS ENUM ('draft', 'listed', 'retired');
CREATE TABLE items (
    id integer PRIMARY KEY,
    status old_status NOT NULL DEFAULT 'draft'
);
INSERT INTO items VALUES (1, 'draft'), (2, 'listed');
