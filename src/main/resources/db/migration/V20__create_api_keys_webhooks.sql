-- Integrations: API keys for the Admin API (the secret is shown once; only its hash is kept),
-- idempotent creates, the source ids of imported stories, and webhooks with their deliveries.
CREATE TABLE api_keys (
  id           ${identity},
  name         TEXT NOT NULL,
  prefix       TEXT NOT NULL UNIQUE,
  secret_hash  TEXT NOT NULL,
  scopes       TEXT NOT NULL,
  owner_id     ${bigint} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at   BIGINT
);

-- One row per (key, Idempotency-Key): the first request's fingerprint and its answer.
CREATE TABLE api_idempotency (
  key_id       ${bigint} NOT NULL,
  idem_key     TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status       INTEGER NOT NULL,
  response     TEXT,
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (key_id, idem_key)
);

-- A story's id in the system it came from (a wire, another CMS): creating with a known one updates.
CREATE TABLE article_external_ids (
  external_id TEXT PRIMARY KEY,
  article_id  ${bigint} NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);

CREATE TABLE webhooks (
  id              ${identity},
  name            TEXT NOT NULL,
  url             TEXT NOT NULL,
  events          TEXT NOT NULL,
  secret          TEXT NOT NULL,
  created_by      ${bigint} REFERENCES users(id) ON DELETE SET NULL,
  created_at      BIGINT NOT NULL,
  failures        INTEGER NOT NULL DEFAULT 0,
  disabled_at     BIGINT,
  disabled_reason TEXT
);

-- One row per event and endpoint (unique), so every node may add it and it is sent once.
CREATE TABLE webhook_deliveries (
  id              ${identity},
  webhook_id      ${bigint} NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event_key       TEXT NOT NULL,
  event_type      TEXT NOT NULL,
  payload         TEXT NOT NULL,
  status          TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until     BIGINT,
  last_status     INTEGER,
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  delivered_at    BIGINT,
  UNIQUE (webhook_id, event_key)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);

CREATE TABLE webhook_attempts (
  id          ${identity},
  delivery_id ${bigint} NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  at          BIGINT NOT NULL,
  status      INTEGER,
  error       TEXT,
  millis      INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id);

-- How far the change feed has been turned into webhook events (one row).
CREATE TABLE webhook_cursor (
  id        INTEGER PRIMARY KEY,
  change_id BIGINT NOT NULL
);
