CREATE FUNCTION clamp(v integer, lo integer, hi integer) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$BEGIN
  RETURN greatest(lo, least(hi, v));
END;
$$;
