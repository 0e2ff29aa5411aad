DO $$ BEGIN CREATE ROLE "Pgr Case Pol Reader" NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE "pgr_case_pol""quote" NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE TABLE documents (id integer PRIMARY KEY, owner text NOT NULL, title text NOT NULL);
INSERT INTO documents VALUES (1, 'alice', 'a'), (2, 'bob', 'b');
