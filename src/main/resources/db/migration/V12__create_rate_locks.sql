-- One row per counted scope (a network, an address): a transaction that checks and adds to a
-- limit locks its scope's row first, so two requests at once cannot both pass the last free place.
CREATE TABLE rate_locks (
  scope TEXT PRIMARY KEY
);
