CREATE FUNCTION normalize_email(address text) RETURNS text LANGUAGE sql STABLE STRICT SECURITY DEFINER LEAKPROOF PARALLEL SAFE SET search_path = public AS $$SELECT lower(trim(address))$$;
