CREATE COLLATION public.text_order (provider = libc, locale = 'C');
