CREATE TYPE label AS ENUM ('with space', 'plain');
