-- "More Articles" computed when articles change, so serving them costs one indexed read.
CREATE TABLE related_articles (
  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  related_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  rank       INTEGER NOT NULL,
  score      DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (article_id, related_id)
);
CREATE INDEX related_articles_related ON related_articles (related_id);
