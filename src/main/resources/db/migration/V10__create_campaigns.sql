-- One campaign per published article: claimed by one node, enqueued in batches (each message keyed
-- by article and subscriber, so a resumed campaign never mails anyone twice), then marked done.
CREATE TABLE campaigns (
  article_id  ${bigint} PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  status      TEXT NOT NULL CHECK (status IN ('enqueuing', 'done')),
  last_subscriber_id ${bigint} NOT NULL DEFAULT 0,
  queued      INTEGER NOT NULL DEFAULT 0,
  created_at  BIGINT NOT NULL,
  finished_at BIGINT
);
