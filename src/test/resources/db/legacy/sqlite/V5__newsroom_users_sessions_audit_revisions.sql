-- The newsroom: people who sign in, their sessions, sign-in throttling, password resets, the audit
-- log and article revisions. Times are epoch milliseconds.

CREATE TABLE users (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  email                TEXT NOT NULL UNIQUE,
  name                 TEXT NOT NULL,
  password_hash        TEXT,
  role                 TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'author', 'contributor')),
  author_id            INTEGER REFERENCES authors(id) ON DELETE SET NULL,
  active               BOOLEAN NOT NULL DEFAULT TRUE,
  created_at           BIGINT NOT NULL,
  sessions_valid_after BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token   TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  ip           TEXT NOT NULL DEFAULT '',
  user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
  id    INTEGER PRIMARY KEY AUTOINCREMENT,
  scope TEXT NOT NULL,
  at    BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_scope ON sign_in_failures (scope, at);

CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT
);

CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  user_email TEXT NOT NULL DEFAULT '',
  action   TEXT NOT NULL,
  target   TEXT NOT NULL DEFAULT '',
  detail   TEXT NOT NULL DEFAULT '',
  ip       TEXT NOT NULL DEFAULT '',
  at       BIGINT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE article_revisions (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  headline      TEXT NOT NULL,
  deck          TEXT NOT NULL,
  body_markdown TEXT NOT NULL,
  status        TEXT NOT NULL,
  created_at    BIGINT NOT NULL
);
CREATE INDEX article_revisions_article ON article_revisions (article_id, id);

-- Who wrote it (authors and contributors may change only their own), and drafts sent for review.
ALTER TABLE articles ADD COLUMN created_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE articles ADD COLUMN in_review BOOLEAN NOT NULL DEFAULT FALSE;
