CREATE SCHEMA stats;
CREATE FUNCTION stats.avg_step(state numeric[], x numeric) RETURNS numeric[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$SELECT ARRAY[state[1] + x, state[2] + 1]$$;
CREATE FUNCTION stats.avg_merge(a numeric[], b numeric[]) RETURNS numeric[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$SELECT ARRAY[a[1] + b[1], a[2] + b[2]]$$;
CREATE FUNCTION stats.avg_final(state numeric[]) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$SELECT CASE WHEN state[2] = 0 THEN NULL ELSE state[1] / state[2] END$$;
CREATE AGGREGATE stats.mean(numeric) (
  SFUNC = stats.avg_step, STYPE = numeric[], FINALFUNC = stats.avg_final, COMBINEFUNC = stats.avg_merge,
  INITCOND = '{0,0}', PARALLEL = SAFE
);
