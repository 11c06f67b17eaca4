-- Newsletter subscribers (double opt-in), and sign-up requests counted per address and network so
-- the limits hold across nodes.
CREATE TABLE subscribers (
  id              ${identity},
  email           TEXT NOT NULL UNIQUE,
  name            TEXT NOT NULL DEFAULT '',
  status          TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed', 'bounced', 'complained')),
  frequency       TEXT NOT NULL DEFAULT 'each' CHECK (frequency IN ('each', 'daily', 'weekly')),
  section_id      ${bigint} REFERENCES sections(id) ON DELETE SET NULL,
  created_at      BIGINT NOT NULL,
  confirmed_at    BIGINT,
  unsubscribed_at BIGINT,
  consent_ip      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX subscribers_status ON subscribers (status, frequency);

CREATE TABLE subscribe_requests (
  id    ${identity},
  scope TEXT NOT NULL,
  at    BIGINT NOT NULL
);
CREATE INDEX subscribe_requests_scope ON subscribe_requests (scope, at);
