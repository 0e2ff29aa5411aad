CREATE FUNCTION tagged() RETURNS text LANGUAGE sql SET application_name TO 'it''s, quoted' SET search_path TO "$user", "My Schema", public AS $$SELECT current_setting('application_name')$$;
