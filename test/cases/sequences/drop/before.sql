CREATE SEQUENCE invoice_number_seq START 1000;
