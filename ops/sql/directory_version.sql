-- The directory's version number (ops.models.DirectoryVersion): any INSERT, UPDATE, DELETE or
-- TRUNCATE on a table of the directory, credentialing or evidence apps moves it once per
-- statement. An upsert, because a test harness's flush truncates the version table too.
-- The row is updated inside the writing transaction, so readers see the new number only
-- once the change itself is visible to them.
CREATE OR REPLACE FUNCTION ops_directory_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ops_directory_version (id, value) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET value = ops_directory_version.value + 1;
    RETURN NULL;
END
$$;
