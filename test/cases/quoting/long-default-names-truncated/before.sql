CREATE TABLE a_table_name_that_is_quite_long_enough_to_force_truncation_x (
  id integer PRIMARY KEY,
  a_column_name_that_is_also_rather_long_for_names integer NOT NULL UNIQUE CHECK (a_column_name_that_is_also_rather_long_for_names > 0)
);
CREATE TABLE child_a_table_name_that_is_quite_long_enough_to_force_tr (
  id integer PRIMARY KEY,
  a_column_name_that_is_also_rather_long_for_names integer REFERENCES a_table_name_that_is_quite_long_enough_to_force_truncation_x (a_column_name_that_is_also_rather_long_for_names)
);
