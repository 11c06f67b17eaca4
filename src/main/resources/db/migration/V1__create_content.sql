-- Content model: sections, authors, tags, articles and their corrections, plus the change feed.
-- Times are epoch milliseconds (BIGINT) on every database.

CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE sections (
  id          ${identity},
  slug        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  position    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE authors (
  id   ${identity},
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  bio  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE tags (
  id   ${identity},
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);

CREATE TABLE articles (
  id             ${identity},
  slug           TEXT NOT NULL UNIQUE,
  section_id     ${bigint} NOT NULL REFERENCES sections(id),
  headline       TEXT NOT NULL,
  deck           TEXT NOT NULL DEFAULT '',
  body_markdown  TEXT NOT NULL DEFAULT '',
  body_html      TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'unpublished')),
  published_at   BIGINT,
  updated_at     BIGINT,
  created_at     BIGINT NOT NULL,
  modified_at    BIGINT NOT NULL,
  image_url      TEXT,
  image_alt      TEXT,
  image_credit   TEXT
);
CREATE INDEX articles_public ON articles (status, published_at DESC);
CREATE INDEX articles_section ON articles (section_id, status, published_at DESC);

CREATE TABLE article_authors (
  article_id ${bigint} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  author_id  ${bigint} NOT NULL REFERENCES authors(id),
  position   INTEGER NOT NULL,
  PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_author ON article_authors (author_id);

CREATE TABLE article_tags (
  article_id ${bigint} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  tag_id     ${bigint} NOT NULL REFERENCES tags(id),
  PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id);

CREATE TABLE corrections (
  id         ${identity},
  article_id ${bigint} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('correction', 'update')),
  note       TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX corrections_article ON corrections (article_id, created_at);

CREATE TABLE changes (
  id        ${identity},
  entity    TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  kind      TEXT NOT NULL,
  at        BIGINT NOT NULL
);
