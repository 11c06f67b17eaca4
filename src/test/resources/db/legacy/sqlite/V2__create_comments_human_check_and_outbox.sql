-- Reader comments, the self-hosted human check's keys and spent challenges, and the mail outbox.

ALTER TABLE articles ADD COLUMN comments_closed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE authors ADD COLUMN email TEXT NOT NULL DEFAULT '';

CREATE TABLE comments (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  parent_id      INTEGER REFERENCES comments(id) ON DELETE CASCADE,
  depth          INTEGER NOT NULL DEFAULT 0,
  author_name    TEXT NOT NULL,
  author_email   TEXT NOT NULL DEFAULT '',
  author_url     TEXT NOT NULL DEFAULT '',
  body           TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'spam', 'trash')),
  created_at     BIGINT NOT NULL,
  moderated_at   BIGINT,
  ip             TEXT,
  user_agent     TEXT,
  score          INTEGER NOT NULL DEFAULT 0,
  reasons        TEXT NOT NULL DEFAULT '',
  notify_replies INTEGER NOT NULL DEFAULT 0,
  body_hash      TEXT NOT NULL,
  origin         TEXT UNIQUE
);
CREATE INDEX comments_article ON comments (article_id, status, created_at);
CREATE INDEX comments_email ON comments (LOWER(author_email), status);
CREATE INDEX comments_hash ON comments (body_hash);
CREATE INDEX comments_status ON comments (status, created_at);

CREATE TABLE comment_blocklist (
  id    INTEGER PRIMARY KEY AUTOINCREMENT,
  kind  TEXT NOT NULL CHECK (kind IN ('word', 'email', 'domain', 'ip')),
  value TEXT NOT NULL,
  UNIQUE (kind, value)
);

CREATE TABLE human_check_keys (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  secret     TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  retired_at BIGINT
);

CREATE TABLE human_check_spent (
  signature  TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE INDEX human_check_spent_expiry ON human_check_spent (expires_at);

CREATE TABLE mail_outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  idempotency_key TEXT NOT NULL UNIQUE,
  recipient       TEXT NOT NULL,
  subject         TEXT NOT NULL,
  text_body       TEXT NOT NULL,
  html_body       TEXT,
  list_unsubscribe TEXT,
  status          TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  sent_at         BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
