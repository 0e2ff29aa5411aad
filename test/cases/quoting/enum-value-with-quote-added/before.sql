CREATE TYPE label AS ENUM ('it''s', 'plain');
