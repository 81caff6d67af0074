-- What the platform's maneuver classifier (a model served by the inference service) takes the maneuver for, beside the
-- detector's own rule: which model and version said so, its classification and the model's probability for it. Null when
-- no model was asked (not configured, no token to ask with) or it did not answer in time.
ALTER TABLE maneuver ADD COLUMN model_name text;
ALTER TABLE maneuver ADD COLUMN model_classification text;
ALTER TABLE maneuver ADD COLUMN model_confidence double precision;
ALTER TABLE maneuver ADD COLUMN model_version text;
