-- A scheduled re-certification of the champion's thresholds (no challenger) is a registry event too: it
-- records the re-tuned thresholds it applied, and moves no pointer. Adding an Enum value changes only metadata.
ALTER TABLE model_events MODIFY COLUMN action Enum8('register' = 1, 'promote' = 2, 'rollback' = 3, 'reject' = 4, 'canary' = 5, 'recertify' = 6);
