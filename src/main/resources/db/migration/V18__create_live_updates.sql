-- Live coverage: a story switched to live gets a stream of timestamped updates. live_since is set
-- when it goes live, live_until when it is closed (it stays an ordinary story with its updates).
-- A deleted update keeps its row (deleted_at) so pages and feeds that showed it can drop it.
ALTER TABLE articles ADD COLUMN live_since ${bigint};
ALTER TABLE articles ADD COLUMN live_until ${bigint};

CREATE TABLE live_updates (
  id            ${identity},
  article_id    ${bigint} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  headline      TEXT NOT NULL DEFAULT '',
  body_markdown TEXT NOT NULL,
  body_html     TEXT NOT NULL,
  author_id     ${bigint} REFERENCES authors(id) ON DELETE SET NULL,
  pinned        BOOLEAN NOT NULL DEFAULT FALSE,
  key_event     BOOLEAN NOT NULL DEFAULT FALSE,
  created_by    ${bigint} REFERENCES users(id) ON DELETE SET NULL,
  created_at    BIGINT NOT NULL,
  edited_at     BIGINT,
  deleted_at    BIGINT
);
CREATE INDEX live_updates_article ON live_updates (article_id, created_at);
