-- Conjunction screenings (jobs owned by a tenant) and the conjunctions they found.

CREATE TABLE screening (
    id                uuid             PRIMARY KEY,
    tenant            text             NOT NULL,
    created_by        text             NOT NULL,
    origin            text             NOT NULL DEFAULT 'request' CHECK (origin IN ('request', 'protected-assets')),
    status            text             NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress          integer          NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    primaries         integer[],
    window_start      timestamptz      NOT NULL,
    window_days       double precision NOT NULL,
    threshold_km      double precision NOT NULL,
    objects           integer,
    skipped           integer,
    conjunction_count integer,
    error             text,
    created_at        timestamptz      NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz
);
CREATE INDEX screening_tenant ON screening (tenant, created_at DESC);

CREATE TABLE conjunction (
    id                uuid             PRIMARY KEY,
    screening_id      uuid             NOT NULL REFERENCES screening (id) ON DELETE CASCADE,
    primary_norad     integer          NOT NULL,
    primary_name      text,
    primary_epoch     timestamptz      NOT NULL,
    primary_state     double precision[] NOT NULL, -- TEME at TCA: x, y, z (km), vx, vy, vz (km/s)
    secondary_norad   integer          NOT NULL,
    secondary_name    text,
    secondary_epoch   timestamptz      NOT NULL,
    secondary_state   double precision[] NOT NULL,
    tca               timestamptz      NOT NULL,
    miss_km           double precision NOT NULL,
    relative_speed    double precision NOT NULL,
    radial_km         double precision NOT NULL,
    in_track_km       double precision NOT NULL,
    cross_track_km    double precision NOT NULL,
    pc                double precision NOT NULL
);
CREATE INDEX conjunction_by_pc ON conjunction (screening_id, pc DESC, id);
CREATE INDEX conjunction_by_miss ON conjunction (screening_id, miss_km, id);

-- A tenant's protected assets: screened on a schedule (dbp.orbital.protected-assets.every).
CREATE TABLE protected_asset (
    tenant     text        NOT NULL,
    norad_id   integer     NOT NULL REFERENCES catalog_object (norad_id),
    added_by   text        NOT NULL,
    added_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant, norad_id)
);
