CREATE SCHEMA ops;
CREATE PROCEDURE ops.rotate(IN keep integer DEFAULT 7, INOUT rotated integer DEFAULT 0, VARIADIC tags text[] DEFAULT '{}')
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = ops, public SET work_mem = '64MB'
  AS $$
BEGIN
  rotated := keep + coalesce(array_length(tags, 1), 0);
END;
$$;
COMMENT ON PROCEDURE ops.rotate(integer, integer, text[]) IS 'rotates';
