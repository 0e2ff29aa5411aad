CREATE FUNCTION normalize_email(address text) RETURNS text LANGUAGE sql IMMUTABLE SECURITY DEFINER SET search_path = public AS $$SELECT lower(trim(address))$$;
