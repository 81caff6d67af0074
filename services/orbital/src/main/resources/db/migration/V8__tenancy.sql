-- Tenancy of the catalog (issue 15): the shared catalog, written by platform admins and the trusted
-- orbital.elements.v1 topic, and a private overlay per tenant, written by that tenant's publishers. An element set
-- with overlay_tenant NULL is in the shared catalog; otherwise only overlay_tenant sees it. What a tenant sees of an
-- object is the shared catalog merged with its own overlay.

ALTER TABLE element_set ADD COLUMN overlay_tenant text;
-- A platform admin may withdraw a bad element set: kept for audit, no longer current, its maneuvers superseded.
ALTER TABLE element_set ADD COLUMN withdrawn_at timestamptz;
ALTER TABLE element_set ADD COLUMN withdrawn_by_tenant text;
ALTER TABLE element_set ADD COLUMN withdrawn_by text;
ALTER TABLE element_set ADD COLUMN withdrawn_reason text;
-- A shared copy of a tenant's element set, promoted by a platform admin, names its origin and who promoted it.
ALTER TABLE element_set ADD COLUMN published_from uuid REFERENCES element_set (id);
ALTER TABLE element_set ADD COLUMN published_by text;
ALTER TABLE element_set ADD CONSTRAINT element_set_withdrawal CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL)
    AND (withdrawn_at IS NULL) = (withdrawn_reason IS NULL) AND (withdrawn_at IS NULL) = (withdrawn_by_tenant IS NULL));

-- One element set per scope, object and epoch among those not withdrawn: a tenant's upload never blocks or shadows
-- the shared catalog or another tenant, and a withdrawn element set can be replaced by a corrected one.
ALTER TABLE element_set DROP CONSTRAINT element_set_norad_epoch;
CREATE UNIQUE INDEX element_set_scope_norad_epoch ON element_set (overlay_tenant, norad_id, epoch) NULLS NOT DISTINCT
    WHERE withdrawn_at IS NULL;
-- history in epoch order, "newest first", neighbours of an epoch
CREATE INDEX element_set_norad_epoch ON element_set (norad_id, epoch, id);

-- Still append-only: the one change allowed is withdrawing an element set, once, touching nothing else.
CREATE OR REPLACE FUNCTION element_set_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    withdrawal constant text[] := ARRAY['withdrawn_at', 'withdrawn_by_tenant', 'withdrawn_by', 'withdrawn_reason'];
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.withdrawn_at IS NULL AND NEW.withdrawn_at IS NOT NULL
            AND (to_jsonb(NEW) - withdrawal) = (to_jsonb(OLD) - withdrawal) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'element sets are immutable (% on %)', TG_OP, OLD.id;
END;
$$;

-- Objects: whether the shared catalog holds (or held) an element set of it. An object only some tenant's overlay
-- holds is invisible to every other tenant. Its shared description is written by shared ingests and platform admins.
ALTER TABLE catalog_object ADD COLUMN shared boolean NOT NULL DEFAULT false;
UPDATE catalog_object SET shared = true;

-- What a tenant's overlay says about an object: its description (from its own uploads and PATCHes) and the newest
-- epoch among its own element sets not withdrawn. The tenant's current element set is the newer of that and the
-- shared one (catalog_object.current_element_set); on a tie the shared one.
CREATE TABLE overlay_object (
    tenant              text        NOT NULL,
    norad_id            integer     NOT NULL REFERENCES catalog_object (norad_id),
    name                text,
    intl_designator     text,
    object_type         text        NOT NULL DEFAULT 'UNKNOWN'
                                    CHECK (object_type IN ('PAYLOAD', 'ROCKET_BODY', 'DEBRIS', 'UNKNOWN')),
    owner               text,
    current_element_set uuid        REFERENCES element_set (id),
    current_epoch       timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, norad_id)
);
CREATE INDEX overlay_object_norad ON overlay_object (norad_id);

-- Maneuvers from pairs that involve a tenant's own element sets are that tenant's (overlay_tenant); NULL = shared.
ALTER TABLE maneuver ADD COLUMN overlay_tenant text;

-- The latest CCDM assessment per scope and object: '' for one made from shared data only, else the tenant's.
ALTER TABLE ccdm_assessment ADD COLUMN scope text NOT NULL DEFAULT '';
ALTER TABLE ccdm_assessment DROP CONSTRAINT ccdm_assessment_pkey;
ALTER TABLE ccdm_assessment ADD PRIMARY KEY (scope, norad_id);

-- A failed screening's error is a stable sentence; an exception's text (stored before) is in the log, not the API.
UPDATE screening SET error = 'the screening failed unexpectedly; the service log holds the cause under its id'
    WHERE status = 'failed' AND error IS NOT NULL AND error NOT LIKE 'interrupted %';
