-- What a provider said about an embedded link (title, author, a thumbnail copied into the media
-- folder), fetched when a story is saved and the operator allows outbound fetches. A row is
-- claimed ('fetching') by the node that fetches it, so several nodes never ask twice; a failed
-- fetch is retried after an hour when a story with the link is saved again.
CREATE TABLE embed_cards (
  url_hash     VARCHAR(64) PRIMARY KEY,
  url          TEXT NOT NULL,
  provider     VARCHAR(40) NOT NULL,
  state        VARCHAR(10) NOT NULL,
  title        TEXT NOT NULL DEFAULT '',
  author       TEXT NOT NULL DEFAULT '',
  thumbnail    TEXT NOT NULL DEFAULT '',
  thumb_width  INTEGER NOT NULL DEFAULT 0,
  thumb_height INTEGER NOT NULL DEFAULT 0,
  error        TEXT NOT NULL DEFAULT '',
  updated_at   ${bigint} NOT NULL
);
