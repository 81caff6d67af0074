-- Name-prefix search (`LIKE 'tak-%'`) uses an index whatever the database's collation.
CREATE INDEX sdk_name_pattern ON sdk (name text_pattern_ops);
