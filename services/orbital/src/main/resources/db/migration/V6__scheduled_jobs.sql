-- Cluster-wide scheduled jobs: every replica's scheduler fires, the one that moves last_run forward runs the job.
CREATE TABLE scheduled_job (
    name     text        PRIMARY KEY,
    last_run timestamptz NOT NULL
);
-- Retention of finished screenings looks them up by finish time.
CREATE INDEX screening_finished ON screening (finished_at) WHERE status IN ('done', 'failed', 'cancelled');
