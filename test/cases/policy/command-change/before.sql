DO $$ BEGIN CREATE ROLE pgr_case_pol_cmd NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE TABLE documents (id integer PRIMARY KEY, owner text NOT NULL, title text NOT NULL);
INSERT INTO documents VALUES (1, 'alice', 'a'), (2, 'bob', 'b');
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY documents_read ON documents FOR SELECT TO pgr_case_pol_cmd USING (owner = current_user);
