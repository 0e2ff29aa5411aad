CREATE TABLE tasks (
    id integer PRIMARY KEY,
    status text NOT NULL DEFAULT 'todo'
);
INSERT INTO tasks (id, status) VALUES (1, 'done');
