CREATE COLLATION public.old_c (provider = libc, locale = 'C');
COMMENT ON COLLATION public.old_c IS 'gone soon';
