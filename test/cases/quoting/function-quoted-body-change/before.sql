CREATE FUNCTION "Calc Total"("Amount" numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$SELECT "Amount" * 1.2$$;
