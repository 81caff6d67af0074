-- Screenings survive restarts: the replica running (or queueing) a screening holds a lease it renews; a screening
-- whose lease has lapsed (its replica died) is claimed and run again by another. Screenings can be cancelled.

ALTER TABLE screening DROP CONSTRAINT screening_status_check;
ALTER TABLE screening ADD CONSTRAINT screening_status_check
    CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled'));
ALTER TABLE screening ADD COLUMN claimed_by text;
ALTER TABLE screening ADD COLUMN heartbeat_at timestamptz;
ALTER TABLE screening ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false;
ALTER TABLE screening ADD COLUMN attempts integer NOT NULL DEFAULT 1;
CREATE INDEX screening_open ON screening (heartbeat_at) WHERE status IN ('queued', 'running');
