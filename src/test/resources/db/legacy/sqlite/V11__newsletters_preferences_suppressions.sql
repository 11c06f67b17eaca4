-- Several newsletters per site. A newsletter carries every article or only those with one tag, at
-- its own fixed cadence or at the cadence each reader chose (subscribers.frequency). Readers pick
-- newsletters and, optionally, sections (none picked: every section). subscribers.section_id is
-- superseded by subscriber_sections and no longer read.
CREATE TABLE newsletters (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  slug        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  tag_slug    TEXT,
  cadence     TEXT CHECK (cadence IS NULL OR cadence IN ('each', 'daily', 'weekly')),
  position    INTEGER NOT NULL DEFAULT 0,
  archived    INTEGER NOT NULL DEFAULT 0,
  created_at  BIGINT NOT NULL
);
INSERT INTO newsletters (slug, name, description, position, created_at)
VALUES ('news', 'The news', 'Every new article, or a digest of them.', 0, 0);

CREATE TABLE subscriber_newsletters (
  subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
  newsletter_id INTEGER NOT NULL REFERENCES newsletters(id) ON DELETE CASCADE,
  PRIMARY KEY (subscriber_id, newsletter_id)
);
INSERT INTO subscriber_newsletters (subscriber_id, newsletter_id)
SELECT s.id, n.id FROM subscribers s, newsletters n WHERE n.slug = 'news';

CREATE TABLE subscriber_sections (
  subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
  section_id    INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
  PRIMARY KEY (subscriber_id, section_id)
);
INSERT INTO subscriber_sections (subscriber_id, section_id)
SELECT id, section_id FROM subscribers WHERE section_id IS NOT NULL;

-- Addresses that must never be mailed again (hard bounce, complaint), whatever the mail is for;
-- and opt-outs kept after the subscriber was deleted (an import cannot subscribe them again).
CREATE TABLE mail_suppressions (
  email      TEXT PRIMARY KEY,
  reason     TEXT NOT NULL CHECK (reason IN ('bounced', 'complained', 'unsubscribed')),
  detail     TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);

-- Every mailing (an article, a digest edition, a test) for the newsroom's history; the counts come
-- from the outbox rows that name it.
CREATE TABLE mail_campaigns (
  campaign_key TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('article', 'digest', 'test')),
  title        TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  finished_at  BIGINT
);
ALTER TABLE mail_outbox ADD COLUMN campaign_key TEXT;
ALTER TABLE mail_outbox ADD COLUMN bounced_at BIGINT;
CREATE INDEX mail_outbox_campaign ON mail_outbox (campaign_key, status);
CREATE INDEX mail_outbox_recipient ON mail_outbox (recipient);

-- Bounce and complaint reports as they came (webhook or CLI): hard bounces and complaints
-- suppress the address at once, soft bounces only after several within a month.
CREATE TABLE mail_bounces (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  email      TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('hard', 'soft', 'complaint')),
  detail     TEXT NOT NULL DEFAULT '',
  outbox_id  BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX mail_bounces_email ON mail_bounces (email, created_at);

-- A campaign's body is rendered once and stored here; each of its outbox rows holds only what
-- differs per reader (links, newsletter names), filled in when the message is sent.
CREATE TABLE mail_bodies (
  body_key   TEXT PRIMARY KEY,
  text_body  TEXT NOT NULL,
  html_body  TEXT,
  created_at BIGINT NOT NULL
);
ALTER TABLE mail_outbox ADD COLUMN body_key TEXT;
ALTER TABLE mail_outbox ADD COLUMN body_vars TEXT;
