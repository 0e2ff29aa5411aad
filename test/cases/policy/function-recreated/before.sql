DO $$ BEGIN CREATE ROLE pgr_case_pol_fnre NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE TABLE documents (id integer PRIMARY KEY, owner text NOT NULL, title text NOT NULL);
INSERT INTO documents VALUES (1, 'alice', 'a'), (2, 'bob', 'b');
CREATE FUNCTION is_owner(who text) RETURNS boolean LANGUAGE sql STABLE AS $$SELECT who = current_user$$;
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY documents_owner ON documents TO pgr_case_pol_fnre USING (is_owner(owner));
