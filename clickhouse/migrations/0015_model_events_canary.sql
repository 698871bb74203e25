-- Canary stages of a challenger (issue 3, item 3) are registry events too: each records the share of
-- services the challenger decides, with its reason. Adding an Enum value changes only metadata.
ALTER TABLE model_events MODIFY COLUMN action Enum8('register' = 1, 'promote' = 2, 'rollback' = 3, 'reject' = 4, 'canary' = 5);
