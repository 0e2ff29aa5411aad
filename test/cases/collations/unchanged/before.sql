CREATE SCHEMA app;
CREATE COLLATION app.posix_text (provider = libc, locale = 'POSIX');
CREATE COLLATION app.split_c (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX');
COMMENT ON COLLATION app.posix_text IS 'kept';
