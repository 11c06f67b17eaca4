-- The newsroom's arrangement of a front: the home page ('home') or a section's page
-- ('section:<id>'). Slot 0 is the lead story, slots 1 to 3 the featured ones; where nobody chose,
-- the newest stories fill in. A story placed before it is published appears once it is.
CREATE TABLE front_picks (
  front      TEXT NOT NULL,
  slot       INTEGER NOT NULL,
  article_id ${bigint} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  PRIMARY KEY (front, slot)
);
