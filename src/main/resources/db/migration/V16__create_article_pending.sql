-- Changes to a live story saved for later: "Save draft" on a published story keeps the editor's
-- fields here (a JSON object) while readers keep seeing the published version, until "Update live
-- story" publishes them or they are discarded. One row per story; every full save clears it.
CREATE TABLE article_pending (
  article_id    ${bigint} PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  fields        TEXT NOT NULL,
  saved_by_name TEXT NOT NULL DEFAULT '',
  saved_at      ${bigint} NOT NULL
);
