CREATE SEQUENCE invoice_number_seq;
SELECT nextval('invoice_number_seq');
SELECT nextval('invoice_number_seq');
