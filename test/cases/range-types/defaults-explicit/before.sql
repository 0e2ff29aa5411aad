CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE TYPE timespan AS RANGE (subtype = timestamptz);
