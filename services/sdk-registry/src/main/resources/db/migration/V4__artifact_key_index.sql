-- The orphaned-blob sweep asks which blob keys are still referenced.
CREATE UNIQUE INDEX sdk_version_artifact_key ON sdk_version (artifact_key) WHERE artifact_key IS NOT NULL;
