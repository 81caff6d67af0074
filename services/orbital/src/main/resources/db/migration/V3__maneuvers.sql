-- Maneuvers found by comparing consecutive element sets of an object (reference data, like the catalog).
-- One row per compared pair at most: re-ingesting or redelivering changes nothing. An element set arriving late
-- between the two of a pair splits it: the pair's maneuver is then superseded by what the finer pairs show.

CREATE TABLE maneuver (
    id                  uuid             PRIMARY KEY,
    norad_id            integer          NOT NULL REFERENCES catalog_object (norad_id),
    before_element_set  uuid             NOT NULL REFERENCES element_set (id),
    after_element_set   uuid             NOT NULL REFERENCES element_set (id),
    window_start        timestamptz      NOT NULL,
    epoch               timestamptz      NOT NULL,
    regime              text             NOT NULL,
    classification      text             NOT NULL,
    delta_v             double precision NOT NULL,
    radial              double precision NOT NULL,
    in_track            double precision NOT NULL,
    cross_track         double precision NOT NULL,
    delta_sma_km        double precision NOT NULL,
    delta_incl_deg      double precision NOT NULL,
    plane_change_deg    double precision NOT NULL,
    delta_ecc           double precision NOT NULL,
    position_diff_km    double precision NOT NULL,
    confidence          double precision NOT NULL,
    significance        double precision NOT NULL,
    tenant              text             NOT NULL,
    detected_at         timestamptz      NOT NULL,
    superseded          boolean          NOT NULL DEFAULT false,
    CONSTRAINT maneuver_pair UNIQUE (before_element_set, after_element_set)
);
CREATE INDEX maneuver_object ON maneuver (norad_id, epoch DESC, id DESC);
CREATE INDEX maneuver_recent ON maneuver (epoch DESC, id DESC);
