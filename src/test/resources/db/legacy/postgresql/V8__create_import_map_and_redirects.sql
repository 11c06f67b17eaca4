-- What an import created from which source item (so a second run changes nothing and an
-- interrupted run resumes), and permanent redirects from a previous site's addresses.
CREATE TABLE import_map (
  source    TEXT NOT NULL,
  kind      TEXT NOT NULL,
  source_id TEXT NOT NULL,
  target_id BIGINT NOT NULL,
  PRIMARY KEY (source, kind, source_id)
);

CREATE TABLE redirects (
  path   TEXT PRIMARY KEY,
  target TEXT NOT NULL
);
