CREATE SEQUENCE invoice_number_seq;
SELECT setval('invoice_number_seq', 500);
