-- Candidates that belong to the same news story feed the "story so far" list.
ALTER TABLE related_articles ADD COLUMN same_story BOOLEAN NOT NULL DEFAULT FALSE;

-- Newsroom overrides: an editor pins an article into another's "More Articles" or excludes it.
CREATE TABLE related_overrides (
  article_id ${bigint} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  other_id   ${bigint} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  action     TEXT NOT NULL CHECK (action IN ('pin', 'exclude')),
  position   INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (article_id, other_id),
  CHECK (article_id <> other_id)
);
CREATE INDEX related_overrides_other ON related_overrides (other_id);
