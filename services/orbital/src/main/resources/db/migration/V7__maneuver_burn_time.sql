-- When a maneuver's burn happened (where the two element sets' trajectories meet), and how sure that is. Null for
-- maneuvers found before this estimate existed, or when SGP4 failed inside the window.
ALTER TABLE maneuver ADD COLUMN burn_time timestamptz;
ALTER TABLE maneuver ADD COLUMN burn_uncertainty_s double precision;
