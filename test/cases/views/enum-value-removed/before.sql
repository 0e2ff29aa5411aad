CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE public.people (id integer PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok');
CREATE VIEW public.happy_people AS SELECT id, mood FROM people WHERE mood = 'happy';
