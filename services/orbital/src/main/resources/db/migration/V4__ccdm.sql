-- The latest CCDM assessment of each object (reference data, like the catalog): what orbital.ccdm.v1 changes are
-- measured against.

CREATE TABLE ccdm_assessment (
    norad_id        integer          PRIMARY KEY REFERENCES catalog_object (norad_id),
    id              uuid             NOT NULL,
    epoch           timestamptz,
    threat_level    text             NOT NULL CHECK (threat_level IN ('NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    ccdm_type       text             NOT NULL,
    confidence      double precision NOT NULL,
    indicator_types text[]           NOT NULL,
    body            jsonb            NOT NULL,
    assessed_at     timestamptz      NOT NULL
);
CREATE INDEX ccdm_assessment_level ON ccdm_assessment (threat_level, assessed_at DESC);
