-- The bylines of a live update when it has more than the poster's (two reporters on the scene).
CREATE TABLE live_update_authors (
  update_id ${bigint} NOT NULL REFERENCES live_updates(id) ON DELETE CASCADE,
  author_id ${bigint} NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  PRIMARY KEY (update_id, author_id)
);
