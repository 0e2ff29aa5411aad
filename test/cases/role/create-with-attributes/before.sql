-- Roles are cluster objects: this case's are dropped first, so that the plan creates them each run.
DROP ROLE IF EXISTS pgr_case_role_app, pgr_case_role_group;
CREATE TABLE public.t (id integer PRIMARY KEY);
