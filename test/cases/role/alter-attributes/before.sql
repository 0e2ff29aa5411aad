DROP ROLE IF EXISTS pgr_case_role_alter;
CREATE ROLE pgr_case_role_alter LOGIN CONNECTION LIMIT 2;
CREATE TABLE public.t (id integer);
