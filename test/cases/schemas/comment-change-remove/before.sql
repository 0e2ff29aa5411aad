CREATE SCHEMA analytics;
COMMENT ON SCHEMA analytics IS 'old';
CREATE SCHEMA "Archive";
COMMENT ON SCHEMA "Archive" IS 'to be removed';
