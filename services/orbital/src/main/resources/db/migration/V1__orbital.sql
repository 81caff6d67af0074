-- The orbital catalog: objects (shared reference data, one row per NORAD id) and every element set ever ingested
-- for them (the history). An object's current element set is the one with the newest epoch.

CREATE TABLE catalog_object (
    norad_id            integer     PRIMARY KEY CHECK (norad_id BETWEEN 1 AND 339999),
    name                text,
    intl_designator     text,
    object_type         text        NOT NULL DEFAULT 'UNKNOWN'
                                    CHECK (object_type IN ('PAYLOAD', 'ROCKET_BODY', 'DEBRIS', 'UNKNOWN')),
    owner               text,
    current_element_set uuid,
    current_epoch       timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX catalog_object_type ON catalog_object (object_type, norad_id);

CREATE TABLE element_set (
    id                uuid             PRIMARY KEY,
    norad_id          integer          NOT NULL REFERENCES catalog_object (norad_id),
    epoch             timestamptz      NOT NULL,
    name              text,
    intl_designator   text,
    classification    text             NOT NULL,
    mean_motion       double precision NOT NULL,
    eccentricity      double precision NOT NULL,
    inclination       double precision NOT NULL,
    ra_of_asc_node    double precision NOT NULL,
    arg_of_pericenter double precision NOT NULL,
    mean_anomaly      double precision NOT NULL,
    bstar             double precision NOT NULL,
    mean_motion_dot   double precision NOT NULL,
    mean_motion_ddot  double precision NOT NULL,
    ephemeris_type    integer          NOT NULL,
    element_set_no    integer          NOT NULL,
    rev_at_epoch      integer          NOT NULL,
    line1             text             NOT NULL,
    line2             text             NOT NULL,
    format            text             NOT NULL,
    tenant            text             NOT NULL,
    ingested_by       text             NOT NULL,
    ingested_at       timestamptz      NOT NULL,
    -- one element set per object and epoch; the index also serves history in epoch order and "newest first"
    CONSTRAINT element_set_norad_epoch UNIQUE (norad_id, epoch)
);

ALTER TABLE catalog_object
    ADD CONSTRAINT catalog_object_current FOREIGN KEY (current_element_set) REFERENCES element_set (id);

-- History is append-only: later phases (maneuver detection) read it as evidence.
CREATE FUNCTION element_set_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'element sets are immutable (% on %)', TG_OP, OLD.id;
END;
$$;
CREATE TRIGGER element_set_immutable BEFORE UPDATE OR DELETE ON element_set
    FOR EACH ROW EXECUTE FUNCTION element_set_is_immutable();
