DROP ROLE IF EXISTS pgr_case_role_member, pgr_case_role_old_group, pgr_case_role_new_group;
CREATE ROLE pgr_case_role_old_group NOLOGIN;
CREATE ROLE pgr_case_role_new_group NOLOGIN;
CREATE ROLE pgr_case_role_member NOLOGIN IN ROLE pgr_case_role_old_group;
CREATE TABLE public.t (id integer);
