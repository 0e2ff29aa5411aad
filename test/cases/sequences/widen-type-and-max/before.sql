CREATE SEQUENCE big_seq AS integer;
