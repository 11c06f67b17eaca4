-- The media library: uploaded images, re-encoded and stored under generated names in the media
-- folder, with their responsive sizes. Times are epoch milliseconds.

CREATE TABLE media (
  id            ${identity},
  stored_name   TEXT NOT NULL UNIQUE,
  original_name TEXT NOT NULL DEFAULT '',
  content_type  TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
  width         INTEGER NOT NULL,
  height        INTEGER NOT NULL,
  byte_size     BIGINT NOT NULL,
  alt_text      TEXT NOT NULL CHECK (alt_text <> ''),
  credit        TEXT NOT NULL DEFAULT '',
  sizes         TEXT NOT NULL DEFAULT '',
  uploaded_by   ${bigint} REFERENCES users(id) ON DELETE SET NULL,
  created_at    BIGINT NOT NULL
);
CREATE INDEX media_created ON media (created_at, id);
CREATE INDEX media_uploaded_by ON media (uploaded_by);
