-- Rate limits that every node shares (comments per network and per address): one token bucket per
-- key, its state kept by Bucket4j, locked row by row while a request takes a token. Used on
-- PostgreSQL; a single SQLite node keeps its buckets in memory. Expired rows are purged daily.
CREATE TABLE rate_buckets (
  id         VARCHAR(300) PRIMARY KEY,
  state      BYTEA,
  expires_at BIGINT
);
