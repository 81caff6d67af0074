-- A version's own dynamic batching, chosen at upload (immutable with the version); NULL: the service's setting.
ALTER TABLE model_version
    ADD COLUMN max_batch_size     integer CHECK (max_batch_size BETWEEN 1 AND 1024),
    ADD COLUMN max_queue_delay_us integer CHECK (max_queue_delay_us BETWEEN 0 AND 1000000);
